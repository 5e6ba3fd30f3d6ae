package io.troupe.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.aeron.Aeron;
import io.aeron.ConcurrentPublication;
import io.aeron.logbuffer.BufferClaim;
import io.troupe.remote.MembershipEvent;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.testsupport.TestAeronDir;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A publisher that claims space in a stream and never commits it (a process SIGKILLed between
 * claiming and committing an offer, or a hostile one) blocks only its own log. Before, every node
 * wrote a peer's inbound stream, and everyone the membership stream, through one shared log per
 * stream, so such a claim held up every other sender to that node, and every heartbeat, until the
 * driver's publication-unblock timeout (15 s): peers evicted each other after {@code
 * heartbeat-timeout} and queued messages expired as "back-pressure timeout". Now each node writes
 * through exclusive publications, a log of its own per stream.
 *
 * <p>The stuck publisher here is a concurrent publication of this JVM's own Aeron client, on the
 * same channel the nodes used: exactly the log the nodes' publications shared before.
 */
class StuckPublisherTest {
    sealed interface Cmd permits Ping {}

    record Ping(int n) implements Cmd {}

    private static final Duration WAIT = Duration.ofSeconds(8);
    private static final String CHANNEL = "aeron:ipc?term-length=1m";

    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();
    private final List<ActorTestKit> kits = new ArrayList<>();
    private Aeron rogue;

    @AfterEach
    void tearDown() {
        CloseHelper.quietClose(rogue);
        for (int i = kits.size() - 1; i >= 0; i--) {
            kits.get(i).shutdownTestKit();
        }
    }

    private ActorTestKit kit(String name) {
        ActorTestKit kit =
                ActorTestKit.create(
                        name,
                        aeronDir.config(
                                "node-name",
                                name,
                                "heartbeat-interval",
                                "100ms",
                                "heartbeat-timeout",
                                "1s"));
        kits.add(kit);
        RemoteNode.get(kit.system()).register(Cmd.class);
        return kit;
    }

    /** Claims {@code length} bytes on {@code streamId} and never commits them. */
    private void claimAndHang(int streamId) {
        ConcurrentPublication pub = rogue.addPublication(CHANNEL, streamId);
        BufferClaim claim = new BufferClaim();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (pub.tryClaim(64, claim) <= 0) {
            assertTrue(
                    System.nanoTime() - deadline < 0,
                    "could not claim space on stream " + streamId + " within " + WAIT);
            Thread.onSpinWait();
        }
        // neither commit() nor abort(): the frame stays unwritten, as after a SIGKILL
    }

    @Test
    void shouldKeepDeliveringAndHeartbeatingPastAPublisherStuckInTheMiddleOfAnOffer()
            throws Exception {
        ActorTestKit target = kit("target");
        ActorTestKit sender = kit("sender");
        TestProbe<Cmd> actor = target.createTestProbe(Cmd.class);
        RemoteNode targetNode = RemoteNode.get(target.system());
        targetNode.publish("inbox", actor.ref(), Cmd.class);
        RemoteNode senderNode = RemoteNode.get(sender.system());
        ActorRef<Cmd> inbox =
                senderNode
                        .lookup("target", "inbox", Cmd.class)
                        .toCompletableFuture()
                        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        inbox.tell(new Ping(0));
        assertEquals(new Ping(0), actor.expectMessageClass(Ping.class, WAIT));
        TestProbe<MembershipEvent> events = sender.createTestProbe(MembershipEvent.class);
        senderNode.subscribe(events.ref());
        events.expectMessageClass(MembershipEvent.NodeUp.class, WAIT); // the current state

        rogue = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir.path().toString()));
        claimAndHang(Wire.inboundStreamId("target", targetNode.incarnation()));
        claimAndHang(Wire.MEMBERSHIP_STREAM_ID);

        int n = 2_000;
        for (int i = 1; i <= n; i++) {
            inbox.tell(new Ping(i));
        }
        for (int i = 1; i <= n; i++) {
            assertEquals(new Ping(i), actor.expectMessageClass(Ping.class, WAIT));
        }
        // Three heartbeat timeouts after the claims: nobody was declared down.
        events.expectNoMessage(Duration.ofSeconds(3));
        assertEquals(0, senderNode.counter("dead-letters"), "nothing went to dead letters");
        inbox.tell(new Ping(n + 1));
        assertEquals(new Ping(n + 1), actor.expectMessageClass(Ping.class, WAIT));
    }
}
