package io.troupe.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import io.troupe.core.Bytes;
import io.troupe.core.codec.CodecException;
import io.troupe.remote.launch.ChildJvm;
import io.troupe.remote.testsupport.TestAeronDir;
import io.troupe.remote.testsupport.TestJvms;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A 16 MiB {@link Bytes} payload crosses to an actor in a child JVM and arrives intact: the actor
 * answers with the SHA-256 it computed there, which must equal the one computed here.
 */
class BinaryPayloadMultiProcessTest {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration ASK = Duration.ofSeconds(60);
    private static final int MIB = 1024 * 1024;

    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();

    private ChildJvm child;
    private ActorTestKit kit;

    /** The protocol of {@link Child}'s "digest" actor. */
    public sealed interface Command permits Digest {}

    /** Asks for the SHA-256 of {@code data}; answered with a {@link Digested}. */
    public record Digest(Bytes data, ActorRef<Digested> replyTo) implements Command {}

    /**
     * What the receiving node saw: the size, the digest, and the first and last bytes (a payload
     * reassembled out of order would show there even if nothing else did).
     */
    public record Digested(int size, Bytes sha256, Bytes head, Bytes tail) {}

    @AfterEach
    void tearDown() {
        if (child != null) {
            child.kill();
        }
        if (kit != null) {
            kit.shutdownTestKit();
        }
    }

    @Test
    void shouldDeliverA16MiBBytesPayloadIntactToAnActorInAnotherProcess() throws Exception {
        kit = ActorTestKit.create("tester", aeronDir.config("node-name", "tester"));
        RemoteNode node = RemoteNode.get(kit.system());
        node.register(Command.class);
        child = TestJvms.start(Child.class, aeronDir.jvmOptions("node-name", "alpha"));
        child.awaitLine("READY alpha", READY);
        ActorRef<Command> digest = await(node.lookup("alpha", "digest", Command.class));

        byte[] raw = new byte[16 * MIB + 1];
        new Random(11).nextBytes(raw);
        // A slice: what travels is the slice's bytes only, not the array under it.
        Bytes data = Bytes.copyOf(raw).slice(1, raw.length);
        assertEquals(16 * MIB, data.size());

        Digested d = ask(digest, data);

        assertEquals(data.size(), d.size());
        assertEquals(sha256(data), d.sha256(), "SHA-256 computed by the receiving process");
        assertEquals(data.slice(0, 16), d.head());
        assertEquals(data.slice(data.size() - 16, data.size()), d.tail());

        // The node keeps working after the big message: a small one follows.
        Bytes small = Bytes.copyOf("hello".getBytes(StandardCharsets.UTF_8));
        assertEquals(sha256(small), ask(digest, small).sha256());
    }

    @Test
    void shouldRefuseAPayloadOverTheMessageLimitAtTheSender() {
        // "throw": tell throws what it refuses (by default it goes to dead letters, counted).
        kit =
                ActorTestKit.create(
                        "tester", aeronDir.config("node-name", "tester", "unsendable", "throw"));
        RemoteNode node = RemoteNode.get(kit.system());
        node.register(Command.class);
        child = TestJvms.start(Child.class, aeronDir.jvmOptions("node-name", "alpha"));
        child.awaitLine("READY alpha", READY);
        ActorRef<Command> digest = await(node.lookup("alpha", "digest", Command.class));
        ActorRef<Digested> nobody = kit.createTestProbe(Digested.class).ref();

        Bytes tooBig = Bytes.copyOf(new byte[17 * MIB]);
        CodecException e =
                assertThrows(CodecException.class, () -> digest.tell(new Digest(tooBig, nobody)));
        assertTrue(
                e.getMessage().contains("holds a Bytes of " + 17 * MIB + " bytes")
                        && e.getMessage().contains("max-message-bytes"),
                e.getMessage());
        assertEquals(1, node.counter("refused-at-sender"));
    }

    private Digested ask(ActorRef<Command> target, Bytes data) {
        return await(
                AskPattern.ask(
                        target,
                        (ActorRef<Digested> r) -> new Digest(data, r),
                        ASK,
                        kit.scheduler()));
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(ASK.toSeconds() + 10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("did not complete: " + e, e);
        }
    }

    static Bytes sha256(Bytes data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data.asReadOnlyByteBuffer());
            return Bytes.copyOf(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static Behavior<Command> digester() {
        return Behaviors.receive(Command.class)
                .onMessage(
                        Digest.class,
                        d -> {
                            Bytes b = d.data();
                            int n = b.size();
                            d.replyTo()
                                    .tell(
                                            new Digested(
                                                    n,
                                                    sha256(b),
                                                    b.slice(0, Math.min(16, n)),
                                                    b.slice(Math.max(0, n - 16), n)));
                            return Behaviors.same();
                        })
                .build();
    }

    /**
     * The child node: publishes "digest" ({@link #digester}), prints {@code READY <node>}, and
     * exits when its stdin closes (so it also dies with the test JVM).
     */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "binary-node");
            try {
                RemoteNode node = RemoteNode.get(system);
                node.register(Command.class);
                node.publish(
                        "digest",
                        system.systemActorOf(digester(), "digest", Props.empty()),
                        Command.class);
                System.out.println("READY " + node.name());
                System.out.flush();
                BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(System.in, StandardCharsets.UTF_8));
                while (in.readLine() != null) {
                    // until stdin closes
                }
            } finally {
                system.terminate();
                system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
            }
            System.exit(0);
        }
    }
}
