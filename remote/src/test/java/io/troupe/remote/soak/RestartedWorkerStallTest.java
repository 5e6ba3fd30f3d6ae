package io.troupe.remote.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.Dropped;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import io.troupe.remote.PoolOptions;
import io.troupe.remote.ProcessPool;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.RestartPolicy;
import io.troupe.remote.TestKinds;
import io.troupe.remote.TestProtocol;
import io.troupe.remote.testsupport.TestAeronDir;
import io.troupe.remote.testsupport.TestJvms;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A regression test for a bug the soak found ({@link SoakTest}'s back-pressure events): traffic to
 * a worker restarted after a SIGKILL stalled until the media driver reaped the dead predecessor's
 * Aeron client ({@code troupe.remote.driver.client-liveness-timeout}). A node's inbound stream id
 * depended on its name only, so the successor subscribed to the same IPC stream; the dead
 * predecessor's subscription stayed linked to that stream's publication until the driver timed its
 * client out, and its position, frozen at the kill, held the publication's limit. Once a window of
 * bytes past it was written, every sender to the successor was back-pressured, and what waited
 * longer than {@code back-pressure-timeout} went to dead letters although both ends were alive
 * (measured: an ask answered in 18.7 s instead of ~50 ms).
 *
 * <p>Fixed by an inbound stream per incarnation ({@code Wire.inboundStreamId(name, incarnation)},
 * which heartbeats carry to the other nodes). The liveness timeout is raised to 20 s here so a
 * stall, should it come back, shows whatever the restart takes.
 *
 * <p>Thread safety: a test.
 */
class RestartedWorkerStallTest {
    private static final int BURST_BYTES =
            4 * 1024 * 1024; // more than the publication window of a 1 MiB term

    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();

    private ActorTestKit kit;
    private ProcessPool pool;

    @AfterEach
    void tearDown() {
        if (pool != null) {
            pool.close();
        }
        if (kit != null) {
            kit.shutdownTestKit();
        }
    }

    /**
     * Tells {@value #BURST_BYTES} bytes, then asks (2 s timeout, again and again) until answered;
     * returns the ms that took.
     */
    private long burstThenAskMillis(ActorRef<TestProtocol.Command> echo, int seq) throws Exception {
        String blob = "x".repeat(100 * 1024);
        long start = System.nanoTime();
        for (int sent = 0; sent < BURST_BYTES; sent += blob.length()) {
            echo.tell(new TestProtocol.Blob(blob));
        }
        long deadline = start + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                TestProtocol.Pong pong =
                        AskPattern.<TestProtocol.Command, TestProtocol.Pong>ask(
                                        echo,
                                        r -> new TestProtocol.Ping(seq, r),
                                        Duration.ofSeconds(2),
                                        kit.scheduler())
                                .toCompletableFuture()
                                .get(10, TimeUnit.SECONDS);
                assertEquals(seq, pong.seq());
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            } catch (ExecutionException timedOut) {
                assertTrue(System.nanoTime() < deadline, "no answer within 60 s of the burst");
            }
        }
    }

    @Test
    void shouldNotStallTrafficToARestartedWorkerUntilTheDeadPredecessorIsReaped() throws Exception {
        kit =
                ActorTestKit.create(
                        "stall",
                        aeronDir.config(
                                "node-name", "parent", "driver.client-liveness-timeout", "20s"));
        RemoteNode node = RemoteNode.get(kit.system());
        node.register(TestProtocol.Command.class);
        Queue<Dropped> dropped = new ConcurrentLinkedQueue<>();
        kit.system()
                .eventStream()
                .tell(
                        new EventStream.Subscribe<>(
                                Dropped.class,
                                kit.spawn(
                                        Behaviors.receiveMessage(
                                                d -> {
                                                    dropped.add(d);
                                                    return Behaviors.same();
                                                }))));
        pool =
                ProcessPool.launch(
                        kit.system(),
                        PoolOptions.workers(1)
                                .withWorkerSetup(TestKinds.Setup.class)
                                .withJvmOptions(TestJvms.quickStart("-Xmx128m"))
                                .withRestart(
                                        RestartPolicy.onFailure(
                                                3, Duration.ofMillis(10), Duration.ofMillis(10))));
        TestProbe<String> restarted = kit.createTestProbe(String.class);
        pool.onRestart(restarted.ref()::tell);
        long healthy = burstThenAskMillis(pool.spawn("worker-1", TestKinds.ECHO), 1);

        long killedAt = System.nanoTime();
        ProcessHandle.of(pool.pid("worker-1")).orElseThrow().destroyForcibly();
        assertEquals("worker-1", restarted.receiveMessage(Duration.ofSeconds(60)));
        ActorRef<TestProtocol.Command> successor = pool.spawn("worker-1", TestKinds.ECHO);
        long upAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        long backPressureBefore = node.counter("back-pressure-events");
        long stalled = burstThenAskMillis(successor, 2);
        Map<String, Integer> reasons = new TreeMap<>();
        for (Dropped d : dropped) {
            reasons.merge(d.reason().replaceAll("[0-9]+", "#"), 1, Integer::sum);
        }
        String report =
                String.format(
                        "%d bytes then an ask: answered after %d ms by the first incarnation, %d ms by its successor"
                                + " (up %d ms after the kill; client-liveness-timeout 20000 ms); back-pressure events %d; dead letters %s",
                        BURST_BYTES,
                        healthy,
                        stalled,
                        upAfter,
                        node.counter("back-pressure-events") - backPressureBefore,
                        reasons);
        System.out.println(report);
        assertTrue(stalled < healthy + 3_000, report);
    }
}
