package io.troupe.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import io.troupe.remote.launch.ChildJvm;
import io.troupe.remote.testsupport.TestAeronDir;
import io.troupe.remote.testsupport.TestJvms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every message handed to a remote ref ends in exactly one of: sent (offered to the peer's stream),
 * dead-lettered with a reason, or refused at the sender. Several threads hammer an actor in a child
 * JVM while the child is SIGKILLed (or leaves cleanly), so that senders race with the link going
 * down: then the sender's own counters must account for every message. Before the link's queue was
 * closed in the same step that took the link down, a sender that had passed the "is it up" check
 * appended to a queue already drained, and such messages were neither sent, nor dead-lettered, nor
 * counted.
 */
class SendAccountingMultiProcessTest {
    private static final int THREADS = 4;
    private static final int PER_THREAD = 150_000;
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();

    private final List<ChildJvm> children = new ArrayList<>();
    private ActorTestKit kit;

    @AfterEach
    void tearDown() {
        children.forEach(ChildJvm::kill);
        if (kit != null) {
            kit.shutdownTestKit();
        }
    }

    @Test
    void shouldAccountForEveryMessageWhenThePeerIsKilledWhileSendersHammerIt() throws Exception {
        hammerWhile(ChildJvm::kill);
    }

    @Test
    void shouldAccountForEveryMessageWhenThePeerLeavesWhileSendersHammerIt() throws Exception {
        hammerWhile(c -> c.send("exit"));
    }

    private void hammerWhile(Consumer<ChildJvm> endPeer) throws Exception {
        kit = ActorTestKit.create("sender", aeronDir.config("node-name", "sender"));
        RemoteNode node = RemoteNode.get(kit.system());
        node.register(TestProtocol.Command.class);
        ChildJvm peer =
                TestJvms.start(
                        TestNodeMain.class, aeronDir.jvmOptions("node-name", "peer"), "echo");
        children.add(peer);
        peer.awaitLine("READY peer.*", Duration.ofSeconds(30));
        ActorRef<TestProtocol.Command> echo =
                node.lookup("peer", "echo", TestProtocol.Command.class)
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);

        long sent0 = node.counter("msgs-sent");
        long dead0 = node.counter("dead-letters");
        long refused0 = node.counter("refused-at-sender");
        AtomicLong attempted = new AtomicLong();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread th =
                    new Thread(
                            () -> {
                                for (int i = 0; i < PER_THREAD; i++) {
                                    echo.tell(new TestProtocol.Seq(i));
                                    attempted.incrementAndGet();
                                }
                            },
                            "hammer-" + t);
            th.start();
            senders.add(th);
        }
        long killAt = THREADS * PER_THREAD / 4;
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (attempted.get() < killAt && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        endPeer.accept(peer);
        for (Thread th : senders) {
            th.join(SETTLE.toMillis());
            assertTrue(!th.isAlive(), th.getName() + " did not finish within " + SETTLE);
        }
        assertEquals(THREADS * PER_THREAD, attempted.get());

        // What waits under back-pressure leaves when the link goes down: wait for the books to
        // close.
        long sent = 0;
        long dead = 0;
        long refused = 0;
        while (System.nanoTime() - deadline < 0) {
            sent = node.counter("msgs-sent") - sent0;
            dead = node.counter("dead-letters") - dead0;
            refused = node.counter("refused-at-sender") - refused0;
            if (sent + dead + refused == attempted.get() && node.members().isEmpty()) {
                break;
            }
            LockSupport.parkNanos(1_000_000);
        }
        String books =
                "attempted "
                        + attempted.get()
                        + ", sent "
                        + sent
                        + ", dead-lettered "
                        + dead
                        + ", refused "
                        + refused
                        + " (members now "
                        + node.members()
                        + ")";
        assertEquals(
                attempted.get(), sent + dead + refused, "every message accounted for: " + books);
        assertTrue(sent > 0, "some messages reached the peer's stream: " + books);
        assertTrue(dead > 0, "the peer went away while messages were sent to it: " + books);
        assertEquals(0, refused, books);
    }
}
