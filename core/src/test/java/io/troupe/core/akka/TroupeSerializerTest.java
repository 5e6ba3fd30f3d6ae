package io.troupe.core.akka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import com.typesafe.config.ConfigFactory;
import io.troupe.core.Troupe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Akka's own serialize-messages check, carried by Troupe's codec. */
class TroupeSerializerTest {
    // Akka's ActorTestKit, not troupe-testkit's extension: that module depends on this one.
    static final ActorTestKit testKit =
            ActorTestKit.create(
                    "TroupeSerializerTest",
                    ConfigFactory.parseString(
                                    "akka.actor.serialize-messages = on\nakka.log-dead-letters = off")
                            .withFallback(ActorTestKit.applicationTestConfig()));

    @AfterAll
    static void shutDownTestKit() {
        testKit.shutdownTestKit();
    }

    sealed interface Greeter permits Greet, Shout {}

    record Greet(String whom, List<String> extras, ActorRef<Greeted> replyTo) implements Greeter {}

    record Shout(String whom) implements Greeter {}

    record Greeted(String text) {}

    record Unregistered(int x) {}

    static Behavior<Greeter> greeter() {
        return Behaviors.receive(Greeter.class)
                .onMessage(
                        Greet.class,
                        g -> {
                            g.replyTo().tell(new Greeted("hello " + g.whom() + " " + g.extras()));
                            return Behaviors.same();
                        })
                .onMessage(Shout.class, s -> Behaviors.same())
                .build();
    }

    @BeforeAll
    static void register() {
        Troupe.get(testKit.system()).register(Greeter.class);
    }

    @Test
    void shouldBindRecordsAndEnumsToTroupesSerializer() {
        Serialization serialization =
                SerializationExtension.get(Adapter.toClassic(testKit.system()));
        Serializer s = serialization.findSerializerFor(new Shout("x"));
        assertInstanceOf(TroupeSerializer.class, s);
        assertEquals(TroupeSerializer.IDENTIFIER, s.identifier());
    }

    @Test
    void shouldPassARegisteredProtocolBetweenLocalActorsThroughTheCodec() {
        ActorRef<Greeter> greeter = testKit.spawn(greeter());
        TestProbe<Greeted> probe = testKit.createTestProbe(Greeted.class);
        Greet sent = new Greet("world", List.of("and", "all"), probe.ref());
        greeter.tell(sent);
        Greeted reply =
                probe.expectMessage(Duration.ofSeconds(5), new Greeted("hello world [and, all]"));
        assertEquals("hello world [and, all]", reply.text());
    }

    @Test
    void shouldCopyMessagesThroughBytesSoNoInstanceIsShared() {
        Serialization serialization =
                SerializationExtension.get(Adapter.toClassic(testKit.system()));
        TestProbe<Greeted> probe = testKit.createTestProbe(Greeted.class);
        Greet sent = new Greet("x", List.of(), probe.ref());
        Object back =
                serialization
                        .deserialize(
                                serialization.serialize(sent).get(),
                                TroupeSerializer.IDENTIFIER,
                                "")
                        .get();
        assertEquals(sent, back);
        assertNotSame(sent, back);
        assertEquals(
                probe.ref(),
                ((Greet) back).replyTo(),
                "the ActorRef resolves to the same local actor");
    }

    /**
     * With serialize-messages on, Akka typed logs the serializer's failure ("swallowing exception
     * during message send") and does not deliver the message; the failure it logs is this one.
     */
    private static String serializationFailure(Object message) {
        Serialization serialization =
                SerializationExtension.get(Adapter.toClassic(testKit.system()));
        Throwable failure = serialization.serialize(message).failed().get();
        return messages(failure);
    }

    @Test
    void shouldFailAnUnregisteredMessageWithTheRegistrationToAdd() {
        TestProbe<Object> probe = testKit.createTestProbe(Object.class);
        probe.ref().tell(new Unregistered(1));
        probe.expectNoMessage(Duration.ofMillis(200));
        String text = serializationFailure(new Unregistered(1));
        assertTrue(
                text.contains(Unregistered.class.getName()) && text.contains("not registered"),
                text);
        assertTrue(
                text.contains(
                        "Troupe.get(system).register(io.troupe.core.akka.TroupeSerializerTest.Unregistered.class)"),
                text);
    }

    @Test
    void shouldFailAMutableMessageNamingTheComponentAndFix() {
        ActorRef<Greeter> greeter = testKit.spawn(greeter());
        TestProbe<Greeted> probe = testKit.createTestProbe(Greeted.class);
        Greet mutable = new Greet("w", new ArrayList<>(List.of("a")), probe.ref());
        greeter.tell(mutable);
        probe.expectNoMessage(Duration.ofMillis(200));
        String text = serializationFailure(mutable);
        assertTrue(
                text.contains("Greet.extras")
                        && text.contains("java.util.ArrayList")
                        && text.contains("List.copyOf"),
                text);
    }

    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
