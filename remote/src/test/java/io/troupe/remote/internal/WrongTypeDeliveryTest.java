package io.troupe.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.Dropped;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import io.troupe.core.Troupe;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.testsupport.DeadLetterProbes;
import io.troupe.remote.testsupport.TestAeronDir;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A registered message of another protocol never reaches an actor: refused at the sender where the
 * ref knows its protocol (a lookup names it), and at the receiving node, against the protocol the
 * actor was published for, when a peer bypasses that check (here: raw frames from a known node's
 * incarnation, as a hostile or stale peer would send). Before, the message reached the actor, which
 * failed with a ClassCastException and was stopped by Akka's default supervision.
 */
class WrongTypeDeliveryTest {
    sealed interface Cmd permits Hello {}

    record Hello(String who) implements Cmd {}

    sealed interface Other permits Alien {}

    record Alien(int x) implements Other {}

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();
    private final List<ActorTestKit> kits = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (int i = kits.size() - 1; i >= 0; i--) {
            kits.get(i).shutdownTestKit();
        }
    }

    private ActorTestKit kit(String name) {
        ActorTestKit kit = ActorTestKit.create(name, aeronDir.config("node-name", name));
        kits.add(kit);
        RemoteNode node = RemoteNode.get(kit.system());
        node.register(Cmd.class);
        node.register(Other.class);
        return kit;
    }

    @Test
    void shouldRefuseAMessageOutsideTheRefsProtocolAtTheSender() throws Exception {
        ActorTestKit target = kit("target");
        ActorTestKit asker = kit("asker");
        TestProbe<Cmd> actor = target.createTestProbe(Cmd.class);
        RemoteNode.get(target.system()).publish("echo", actor.ref(), Cmd.class);
        RemoteNode node = RemoteNode.get(asker.system());
        ActorRef<Cmd> echo =
                node.lookup("target", "echo", Cmd.class)
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
        TestProbe<Dropped> dropped = DeadLetterProbes.subscribe(asker);

        ActorRef<Object> cast = echo.unsafeUpcast(); // what an unchecked cast does
        cast.tell(new Alien(1));

        Dropped d = dropped.expectMessageClass(Dropped.class, WAIT);
        assertEquals(new Alien(1), d.message());
        assertTrue(d.reason().contains("refused at the sender (node 'asker')"), d.reason());
        assertTrue(d.reason().contains(Alien.class.getName()), d.reason());
        assertTrue(d.reason().contains("is not in the protocol of"), d.reason());
        assertTrue(d.reason().contains(Cmd.class.getName()), d.reason());
        assertEquals(1, node.counter("refused-at-sender"));
        echo.tell(new Hello("after"));
        assertEquals(new Hello("after"), actor.expectMessageClass(Hello.class, WAIT));
    }

    @Test
    void shouldDeadLetterAtTheReceiverAMessageOutsideTheProtocolTheActorWasPublishedFor()
            throws Exception {
        ActorTestKit target = kit("target");
        ActorTestKit asker = kit("asker");
        TestProbe<Cmd> actor = target.createTestProbe(Cmd.class);
        RemoteNode targetNode = RemoteNode.get(target.system());
        targetNode.publish("echo", actor.ref(), Cmd.class);
        RemoteNode node = RemoteNode.get(asker.system());
        ActorRef<Cmd> echo =
                node.lookup("target", "echo", Cmd.class)
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
        RemoteActorRef remote = (RemoteActorRef) Adapter.toClassic(echo);
        TestProbe<Dropped> dropped = DeadLetterProbes.subscribe(target);

        try (RawFrames raw =
                RawFrames.open(aeronDir.path(), "target", remote.incarnation(), WAIT)) {
            byte[] alien = Troupe.get(asker.system()).codec().encode(new Alien(7));
            byte[] hello = Troupe.get(asker.system()).codec().encode(new Hello("raw"));
            raw.offer(
                    RawFrames.frame(
                            Wire.DATA,
                            remote.exportId(),
                            node.incarnation(),
                            remote.incarnation(),
                            alien),
                    WAIT);
            raw.offer(
                    RawFrames.frame(
                            Wire.DATA,
                            remote.exportId(),
                            node.incarnation(),
                            remote.incarnation(),
                            hello),
                    WAIT);
        }

        Dropped d = dropped.expectMessageClass(Dropped.class, WAIT);
        assertEquals(new Alien(7), d.message());
        assertTrue(d.reason().contains("refused at node 'target'"), d.reason());
        assertTrue(d.reason().contains("from node 'asker'"), d.reason());
        assertTrue(d.reason().contains("published as 'echo'"), d.reason());
        assertTrue(d.reason().contains(Cmd.class.getName()), d.reason());
        assertEquals(
                new Hello("raw"),
                actor.expectMessageClass(Hello.class, WAIT),
                "the actor got the next message, and only that one");
        assertEquals(1, targetNode.counter("rejected-messages"));
    }

    /**
     * A ref that travels inside a message knows its protocol from the component's {@code
     * ActorRef<T>}: the reply ref of an ask, here, refuses anything but its reply type at the
     * sender.
     */
    @Test
    void shouldRefuseAtTheSenderAMessageOutsideTheTypeOfARefThatCameInAMessage() throws Exception {
        ActorTestKit target = kit("target");
        ActorTestKit asker = kit("asker");
        RemoteNode targetNode = RemoteNode.get(target.system());
        targetNode.register(Ask.class);
        RemoteNode.get(asker.system()).register(Ask.class);
        TestProbe<Ask> actor = target.createTestProbe(Ask.class);
        targetNode.publish("asked", actor.ref(), Ask.class);
        ActorRef<Ask> asked =
                RemoteNode.get(asker.system())
                        .lookup("target", "asked", Ask.class)
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
        TestProbe<Cmd> replies = asker.createTestProbe(Cmd.class);
        asked.tell(new Ask(replies.ref()));
        Ask got = actor.expectMessageClass(Ask.class, WAIT);
        TestProbe<Dropped> dropped = DeadLetterProbes.subscribe(target);

        got.replyTo().<Object>unsafeUpcast().tell(new Alien(3));
        got.replyTo().tell(new Hello("reply"));

        Dropped d = dropped.expectMessageClass(Dropped.class, WAIT);
        assertTrue(d.reason().contains("refused at the sender (node 'target')"), d.reason());
        assertEquals(new Hello("reply"), replies.expectMessageClass(Hello.class, WAIT));
        replies.expectNoMessage(Duration.ofMillis(200));
    }

    record Ask(ActorRef<Cmd> replyTo) {}
}
