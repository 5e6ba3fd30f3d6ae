package io.troupe.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.Dropped;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.AskPattern;
import io.troupe.remote.testsupport.TestAeronDir;
import io.troupe.remote.testsupport.TestJvms;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Unresponsive workers (SIGSTOP), pauses shorter than the timeout, and many restart cycles without
 * leaks.
 */
class FailureDetectionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();

    private ActorTestKit kit;
    private ProcessPool pool;
    private Long stopped;

    @AfterEach
    void tearDown() throws Exception {
        if (stopped != null) {
            signal("CONT", stopped); // never leave a stopped process behind
        }
        if (pool != null) {
            pool.close();
        }
        if (kit != null) {
            kit.shutdownTestKit();
        }
    }

    private RemoteNode parent(String... overrides) {
        List<String> kv = new ArrayList<>(List.of("node-name", "parent"));
        kv.addAll(List.of(overrides));
        kit = ActorTestKit.create("parent", aeronDir.config(kv.toArray(String[]::new)));
        RemoteNode node = RemoteNode.get(kit.system());
        node.register(TestProtocol.Command.class);
        return node;
    }

    /** SIGSTOP/SIGCONT to a process this test started, by its pid. */
    private static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill =
                new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertTrue(
                kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0,
                "kill -" + name + " " + pid);
    }

    private TestProtocol.Pong ask(ActorRef<TestProtocol.Command> target, int seq) throws Exception {
        return AskPattern.ask(
                        target,
                        (ActorRef<TestProtocol.Pong> r) -> new TestProtocol.Ping(seq, r),
                        WAIT,
                        kit.scheduler())
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    @Test
    void shouldDeclareAStoppedWorkerDownByHeartbeatAndNeverTakeItBack() throws Exception {
        RemoteNode node = parent("heartbeat-interval", "200ms", "heartbeat-timeout", "1500ms");
        pool =
                ProcessPool.launch(
                        kit.system(),
                        PoolOptions.workers(1)
                                .withWorkerSetup(TestKinds.Setup.class)
                                .withJvmOptions(TestJvms.quickStart("-Xmx128m")));
        ActorRef<TestProtocol.Command> echo = pool.spawn("worker-1", TestKinds.ECHO);
        ask(echo, 1);
        TestProbe<MembershipEvent> events = kit.createTestProbe(MembershipEvent.class);
        node.subscribe(events.ref());
        events.expectMessageClass(MembershipEvent.NodeUp.class, WAIT);
        TestProbe<Dropped> dropped = kit.createTestProbe(Dropped.class);
        kit.system().eventStream().tell(new EventStream.Subscribe<>(Dropped.class, dropped.ref()));

        long pid = pool.pid("worker-1");
        signal("STOP", pid);
        stopped = pid;
        MembershipEvent.NodeDown down =
                events.expectMessageClass(MembershipEvent.NodeDown.class, WAIT);
        assertEquals(MembershipEvent.Reason.UNRESPONSIVE, down.reason(), down.toString());
        assertTrue(down.detail().contains("no heartbeat"), down.detail());

        signal("CONT", pid);
        stopped = null;
        // The resumed process heartbeats again, but its incarnation stays down: it is told so and
        // leaves.
        ProcessHandle.of(pid)
                .ifPresent(
                        p -> {
                            try {
                                p.onExit().get(30, TimeUnit.SECONDS);
                            } catch (Exception e) {
                                throw new AssertionError(
                                        "the resumed worker "
                                                + pid
                                                + " did not leave after being declared down",
                                        e);
                            }
                        });
        echo.tell(new TestProtocol.Seq(7));
        Dropped d = dropped.receiveMessage(WAIT);
        assertEquals(new TestProtocol.Seq(7), d.message());
        events.expectNoMessage(Duration.ofMillis(500)); // no NodeUp for the stale incarnation
        assertTrue(node.members().isEmpty(), node.members().toString());
    }

    @Test
    void shouldNotDeclareDownAWorkerPausedForLessThanTheTimeout() throws Exception {
        RemoteNode node = parent("heartbeat-interval", "200ms", "heartbeat-timeout", "3s");
        pool =
                ProcessPool.launch(
                        kit.system(),
                        PoolOptions.workers(1)
                                .withWorkerSetup(TestKinds.Setup.class)
                                .withJvmOptions(TestJvms.quickStart("-Xmx128m")));
        ActorRef<TestProtocol.Command> echo = pool.spawn("worker-1", TestKinds.ECHO);
        TestProbe<MembershipEvent> events = kit.createTestProbe(MembershipEvent.class);
        node.subscribe(events.ref());
        events.expectMessageClass(MembershipEvent.NodeUp.class, WAIT);
        long pid = pool.pid("worker-1");
        signal("STOP", pid); // a stand-in for a long GC pause
        stopped = pid;
        events.expectNoMessage(Duration.ofMillis(400));
        signal("CONT", pid);
        stopped = null;
        assertEquals("worker-1", ask(echo, 2).node());
        events.expectNoMessage(Duration.ofSeconds(1));
    }

    @Test
    void shouldNotGrowThreadsFilesSharedMemoryOrRefTablesOverTwentyRestarts() throws Exception {
        RemoteNode node = parent();
        pool =
                ProcessPool.launch(
                        kit.system(),
                        PoolOptions.workers(1)
                                .withWorkerSetup(TestKinds.Setup.class)
                                .withJvmOptions(TestJvms.quickStart("-Xmx96m"))
                                .withRestart(
                                        RestartPolicy.onFailure(
                                                30, Duration.ofMillis(10), Duration.ofMillis(20))));
        TestProbe<String> restarted = kit.createTestProbe(String.class);
        pool.onRestart(restarted.ref()::tell);
        long[] before = null;
        for (int cycle = 1; cycle <= 20; cycle++) {
            ActorRef<TestProtocol.Command> echo = pool.spawn("worker-1", TestKinds.ECHO);
            assertEquals("worker-1", ask(echo, cycle).node());
            if (cycle == 3) {
                before = resources(node);
            }
            ProcessHandle.of(pool.pid("worker-1")).orElseThrow().destroyForcibly();
            assertEquals("worker-1", restarted.receiveMessage(Duration.ofSeconds(60)));
        }
        assertEquals(20, pool.restarts("worker-1"));
        // Each incarnation has its own inbound stream, and a SIGKILLed one's log stays in /dev/shm
        // until the driver
        // times its client out (client-liveness-timeout) and the publications to it linger out:
        // wait for that.
        long[] after = resources(node);
        long shmDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (after[2] > before[2] + 16L * 1024 * 1024 && System.nanoTime() - shmDeadline < 0) {
            restarted.expectNoMessage(Duration.ofMillis(250));
            after = resources(node);
        }
        String report =
                String.format(
                        "threads %d -> %d, fds %d -> %d, /dev/shm bytes %d -> %d, exported %d -> %d",
                        before[0], after[0], before[1], after[1], before[2], after[2], before[3],
                        after[3]);
        System.out.println("20 restart cycles: " + report);
        assertTrue(after[0] <= before[0] + 3, report);
        assertTrue(after[1] <= before[1] + 8, report);
        assertTrue(after[2] <= before[2] + 16L * 1024 * 1024, report);
        assertTrue(after[3] <= before[3] + 2, report);
    }

    /**
     * Threads, open file descriptors, bytes under the Aeron directory, exported actors of the
     * parent.
     */
    private long[] resources(RemoteNode node) throws IOException {
        long threads = ManagementFactory.getThreadMXBean().getThreadCount();
        long fds;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            fds = s.count();
        }
        long shm;
        try (Stream<Path> s = Files.walk(aeronDir.path())) {
            shm =
                    s.filter(Files::isRegularFile)
                            .mapToLong(
                                    p -> {
                                        try {
                                            return Files.size(p);
                                        } catch (IOException e) {
                                            return 0; // removed while walking
                                        }
                                    })
                            .sum();
        }
        return new long[] {threads, fds, shm, node.exportedActors()};
    }
}
