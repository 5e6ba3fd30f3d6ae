package io.troupe.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.Dropped;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.troupe.core.Troupe;
import io.troupe.remote.ActorKind;
import io.troupe.remote.MembershipEvent;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.testsupport.DeadLetterProbes;
import io.troupe.remote.testsupport.TestAeronDir;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code on-evicted = "rejoin"}, in one JVM: the eviction is a {@link Control.Downed} about the
 * node put on the membership stream (what the other nodes send to a node they declared down), so
 * every step can be checked. The node joins again as a new incarnation and keeps what the
 * application registered (published names, kinds, subscribers) and its counters; refs from before
 * stay dead; {@link RemoteNode#get} keeps working. The SIGSTOP case runs in {@code
 * EvictionMultiProcessTest}.
 */
class RejoinTest {
    sealed interface Cmd permits Hello {}

    record Hello(String who) implements Cmd {}

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();
    private final List<ActorTestKit> kits = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (int i = kits.size() - 1; i >= 0; i--) {
            kits.get(i).shutdownTestKit();
        }
    }

    private ActorTestKit kit(String name, String onEvicted) {
        ActorTestKit kit =
                ActorTestKit.create(
                        name,
                        aeronDir.config(
                                "node-name",
                                name,
                                "heartbeat-interval",
                                "100ms",
                                "heartbeat-timeout",
                                "1s",
                                "on-evicted",
                                onEvicted));
        kits.add(kit);
        RemoteNode.get(kit.system()).register(Cmd.class);
        return kit;
    }

    private static ActorRef<Cmd> lookup(RemoteNode from, String node, String name)
            throws Exception {
        return from.lookup(node, name, Cmd.class)
                .toCompletableFuture()
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Puts "you are down" about {@code node}'s {@code incarnation} on the membership stream. */
    private void sendDowned(ActorTestKit anyKit, String node, long incarnation) {
        byte[] bytes =
                Troupe.get(anyKit.system())
                        .codec()
                        .encode(new Control.Downed(node, incarnation, "declared down by a test"));
        try (Aeron aeron =
                        Aeron.connect(
                                new Aeron.Context()
                                        .aeronDirectoryName(aeronDir.path().toString()));
                ExclusivePublication pub =
                        aeron.addExclusivePublication(
                                "aeron:ipc?term-length=1m", Wire.MEMBERSHIP_STREAM_ID)) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (pub.offer(new UnsafeBuffer(bytes)) < 0) {
                assertTrue(System.nanoTime() - deadline < 0, "could not offer within " + WAIT);
                Thread.onSpinWait();
            }
            // Linger until the nodes read it: the image goes when the publication closes.
            long read = System.nanoTime() + Duration.ofMillis(500).toNanos();
            while (System.nanoTime() - read < 0) {
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void shouldJoinAgainAsANewIncarnationKeepingWhatTheApplicationRegistered() throws Exception {
        ActorTestKit keeper = kit("keeper", "terminate");
        ActorTestKit phoenix = kit("phoenix", "rejoin");
        RemoteNode keeperNode = RemoteNode.get(keeper.system());
        RemoteNode node = RemoteNode.get(phoenix.system());
        TestProbe<Cmd> inbox = phoenix.createTestProbe(Cmd.class);
        node.publish("inbox", inbox.ref(), Cmd.class);
        ActorKind<Cmd> kind =
                ActorKind.of("greeter", Cmd.class, akka.actor.typed.javadsl.Behaviors::ignore);
        node.registerKind(kind);
        TestProbe<MembershipEvent> events = phoenix.createTestProbe(MembershipEvent.class);
        node.subscribe(events.ref());
        assertEquals(
                "keeper",
                events.expectMessageClass(MembershipEvent.NodeUp.class, WAIT).member().name());
        TestProbe<Cmd> keeperInbox = keeper.createTestProbe(Cmd.class);
        keeperNode.publish("inbox", keeperInbox.ref(), Cmd.class);

        ActorRef<Cmd> toPhoenixBefore = lookup(keeperNode, "phoenix", "inbox");
        ActorRef<Cmd> toKeeperBefore = lookup(node, "keeper", "inbox");
        toPhoenixBefore.tell(new Hello("before"));
        assertEquals(new Hello("before"), inbox.expectMessageClass(Hello.class, WAIT));
        long receivedBefore = node.counter("msgs-received");
        assertTrue(receivedBefore >= 1, "received " + receivedBefore);
        long first = node.incarnation();

        sendDowned(keeper, "phoenix", first);

        // Eviction: every peer down for it, and itself.
        MembershipEvent.NodeDown peerDown =
                events.expectMessageClass(MembershipEvent.NodeDown.class, WAIT);
        assertEquals("keeper", peerDown.member().name());
        MembershipEvent.NodeDown selfDown =
                events.expectMessageClass(MembershipEvent.NodeDown.class, WAIT);
        assertEquals(first, selfDown.member().incarnation());
        // The subscriber carries over: it sees the peer again from the new incarnation.
        assertEquals(
                "keeper",
                events.expectMessageClass(MembershipEvent.NodeUp.class, WAIT).member().name());

        events.awaitAssert(
                WAIT,
                () -> {
                    assertNotEquals(
                            first,
                            RemoteNode.get(phoenix.system()).incarnation(),
                            "a new incarnation");
                    return null;
                });
        RemoteNode again = RemoteNode.get(phoenix.system());
        assertNotEquals(first, again.incarnation());
        assertFalse(phoenix.system().whenTerminated().isCompleted(), "the system runs on");
        assertTrue(
                again.counter("msgs-received") >= receivedBefore,
                "counters carry over: " + again.counter("msgs-received"));

        // The published name is served by the new incarnation, the kind can be spawned.
        ActorRef<Cmd> toPhoenix = lookup(keeperNode, "phoenix", "inbox");
        toPhoenix.tell(new Hello("after"));
        assertEquals(new Hello("after"), inbox.expectMessageClass(Hello.class, WAIT));
        keeperNode
                .spawn("phoenix", kind, "spawned-after-rejoin")
                .toCompletableFuture()
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        // And it reaches its peer again through a fresh lookup.
        lookup(again, "keeper", "inbox").tell(new Hello("back"));
        assertEquals(new Hello("back"), keeperInbox.expectMessageClass(Hello.class, WAIT));

        // Refs from before the eviction stay dead, in both directions.
        TestProbe<Dropped> droppedAtPhoenix = DeadLetterProbes.subscribe(phoenix);
        toKeeperBefore.tell(new Hello("stale"));
        Dropped d = droppedAtPhoenix.expectMessageClass(Dropped.class, WAIT);
        assertEquals(new Hello("stale"), d.message());
        assertTrue(d.reason().contains("evicted"), d.reason());
        TestProbe<Dropped> droppedAtKeeper = DeadLetterProbes.subscribe(keeper);
        toPhoenixBefore.tell(new Hello("stale"));
        assertEquals(
                new Hello("stale"),
                droppedAtKeeper.expectMessageClass(Dropped.class, WAIT).message());
        keeperInbox.expectNoMessage(Duration.ofMillis(200));
        inbox.expectNoMessage(Duration.ofMillis(200));
    }
}
