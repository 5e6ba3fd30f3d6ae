package io.troupe.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.troupe.remote.testsupport.TestAeronDir;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The event-loop dispatcher ({@link RemoteNode#eventLoopDispatcher()}): its actors run on the
 * node's transport thread, in order, without starving the transport (heartbeats and other actors'
 * messages go on while one actor keeps itself busy), a long run is reported, and the dispatcher
 * works before the node starts.
 */
class EventLoopDispatcherTest {
    sealed interface Cmd permits Seq, Done, Spin, Sleep {}

    record Seq(long n) implements Cmd {}

    record Done(ActorRef<Report> replyTo) implements Cmd {}

    record Spin(long n) implements Cmd {}

    record Sleep(long millis, ActorRef<Report> replyTo) implements Cmd {}

    record Report(long received, long outOfOrder, String thread, long spins) {}

    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();
    private final List<ActorTestKit> kits = new ArrayList<>();

    @AfterEach
    void tearDown() {
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
        return kit;
    }

    /** Counts in-order Seqs, remembers the thread that ran it, spins on itself when told. */
    private static Behavior<Cmd> counter() {
        return Behaviors.setup(
                ctx -> {
                    long[] state = new long[4]; // received, outOfOrder, last, spins
                    String[] thread = {""};
                    return Behaviors.receive(Cmd.class)
                            .onMessage(
                                    Seq.class,
                                    s -> {
                                        state[0]++;
                                        if (s.n() != state[2] + 1) {
                                            state[1]++;
                                        }
                                        state[2] = s.n();
                                        thread[0] = Thread.currentThread().getName();
                                        return Behaviors.same();
                                    })
                            .onMessage(
                                    Spin.class,
                                    s -> {
                                        state[3]++;
                                        if (s.n() > 0) {
                                            ctx.getSelf().tell(new Spin(s.n() - 1));
                                        }
                                        return Behaviors.same();
                                    })
                            .onMessage(
                                    Sleep.class,
                                    s -> {
                                        // The blocking this dispatcher must detect: a timed
                                        // wait on something that never comes, as a blocking
                                        // call would.
                                        new java.util.concurrent.CountDownLatch(1)
                                                .await(s.millis(), TimeUnit.MILLISECONDS);
                                        s.replyTo().tell(new Report(0, 0, "", 0));
                                        return Behaviors.same();
                                    })
                            .onMessage(
                                    Done.class,
                                    d -> {
                                        d.replyTo()
                                                .tell(
                                                        new Report(
                                                                state[0], state[1], thread[0],
                                                                state[3]));
                                        return Behaviors.same();
                                    })
                            .build();
                });
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void shouldRunRemoteMessagesInOrderOnTheTransportThreadWhileABusyActorCannotStarveIt()
            throws Exception {
        ActorTestKit receiver = kit("receiver");
        ActorTestKit sender = kit("sender");
        RemoteNode node = RemoteNode.get(receiver.system());
        node.register(Cmd.class);
        RemoteNode.get(sender.system()).register(Cmd.class);
        ActorRef<Cmd> counter =
                receiver.spawn(counter(), "counter", RemoteNode.eventLoopDispatcher());
        ActorRef<Cmd> busy = receiver.spawn(counter(), "busy", RemoteNode.eventLoopDispatcher());
        node.publish("counter", counter, Cmd.class);
        TestProbe<MembershipEvent> events = sender.createTestProbe(MembershipEvent.class);
        RemoteNode.get(sender.system()).subscribe(events.ref());
        events.expectMessageClass(MembershipEvent.NodeUp.class, WAIT);
        ActorRef<Cmd> remote =
                await(RemoteNode.get(sender.system()).lookup("receiver", "counter", Cmd.class));

        // An actor that keeps itself busy for ~3 heartbeat timeouts of mailbox runs.
        busy.tell(new Spin(Long.MAX_VALUE));
        int n = 100_000;
        for (int i = 1; i <= n; i++) {
            remote.tell(new Seq(i));
        }
        TestProbe<Report> reports = sender.createTestProbe(Report.class);
        long deadline = System.nanoTime() + WAIT.toNanos();
        Report r;
        do {
            remote.tell(new Done(reports.ref()));
            r = reports.expectMessageClass(Report.class, WAIT);
            assertTrue(System.nanoTime() - deadline < 0, "only " + r.received() + " of " + n);
        } while (r.received() < n);
        assertEquals(n, r.received());
        assertEquals(0, r.outOfOrder(), "in order");
        assertTrue(r.thread().startsWith("troupe-transport-receiver"), r.thread());

        events.expectNoMessage(Duration.ofSeconds(3)); // nobody declared down: heartbeats went on
        TestProbe<Report> local = receiver.createTestProbe(Report.class);
        busy.tell(new Done(local.ref()));
        Report spun = local.expectMessageClass(Report.class, WAIT);
        assertTrue(spun.spins() > 1_000, "the busy actor ran too: " + spun.spins());
    }

    @Test
    void shouldReportAMailboxRunLongerThanTheOverrunWarning() throws Exception {
        ActorTestKit receiver = kit("receiver");
        RemoteNode node = RemoteNode.get(receiver.system());
        ActorRef<Cmd> sleeper =
                receiver.spawn(counter(), "sleeper", RemoteNode.eventLoopDispatcher());
        TestProbe<Report> done = receiver.createTestProbe(Report.class);
        assertEquals(0, node.counter("event-loop-overruns"));
        sleeper.tell(new Sleep(200, done.ref()));
        done.expectMessageClass(Report.class, WAIT);
        done.awaitAssert(
                WAIT,
                () -> {
                    assertTrue(node.counter("event-loop-overruns") >= 1, "no overrun counted");
                    return null;
                });
    }

    @Test
    void shouldRunItsActorsBeforeTheNodeStartsAndOnItsTransportThreadAfter() throws Exception {
        ActorTestKit kit = kit("late");
        ActorRef<Cmd> early = kit.spawn(counter(), "early", RemoteNode.eventLoopDispatcher());
        TestProbe<Report> reports = kit.createTestProbe(Report.class);
        early.tell(new Seq(1));
        early.tell(new Done(reports.ref()));
        Report before = reports.expectMessageClass(Report.class, WAIT);
        assertEquals(1, before.received());
        assertTrue(before.thread().startsWith("troupe-event-loop-fallback"), before.thread());

        RemoteNode.get(kit.system());
        long deadline = System.nanoTime() + WAIT.toNanos();
        Report after;
        long n = 1;
        do {
            early.tell(new Seq(++n));
            early.tell(new Done(reports.ref()));
            after = reports.expectMessageClass(Report.class, WAIT);
            assertTrue(System.nanoTime() - deadline < 0, "still on " + after.thread());
        } while (!after.thread().startsWith("troupe-transport-late"));
        assertEquals(0, after.outOfOrder());
    }
}
