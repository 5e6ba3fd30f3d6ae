package io.troupe.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import io.troupe.remote.launch.ChildJvm;
import io.troupe.remote.testsupport.TestAeronDir;
import io.troupe.remote.testsupport.TestJvms;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Process pools with real worker JVMs, remote spawn, routers, failures and restarts. */
class ProcessPoolTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

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

    private ProcessPool launch(PoolOptions options) {
        kit = ActorTestKit.create("parent", aeronDir.config("node-name", "parent"));
        RemoteNode.get(kit.system()).register(TestProtocol.Command.class);
        pool =
                ProcessPool.launch(
                        kit.system(),
                        options.withWorkerSetup(TestKinds.Setup.class)
                                .withJvmOptions(TestJvms.quickStart("-Xmx128m")));
        return pool;
    }

    /**
     * A pool's parent must not rejoin after an eviction: its workers exit when they see it down.
     * The pool says so before it launches anything.
     */
    @Test
    void shouldRefuseToLaunchOnANodeThatRejoinsWhenEvicted() {
        kit =
                ActorTestKit.create(
                        "parent", aeronDir.config("node-name", "parent", "on-evicted", "rejoin"));
        RemoteException e =
                assertThrows(RemoteException.class, () -> ProcessPool.launch(kit.system(), 1));
        assertTrue(e.getMessage().contains("on-evicted = \"rejoin\""), e.getMessage());
        assertTrue(e.getMessage().contains("on-evicted = \"terminate\""), e.getMessage());
        assertEquals(0, RemoteNode.get(kit.system()).members().size(), "no worker was launched");
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
    void shouldSpawnRegisteredKindsOnChosenWorkersAndRefuseUnknownOnes() throws Exception {
        launch(PoolOptions.workers(2));
        assertEquals(List.of("worker-1", "worker-2"), pool.workerNames());
        ActorRef<TestProtocol.Command> one = pool.spawn("worker-1", TestKinds.ECHO);
        ActorRef<TestProtocol.Command> two = pool.spawn("worker-2", TestKinds.ECHO, "named-echo");
        assertEquals("worker-1", ask(one, 1).node());
        assertEquals("worker-2", ask(two, 2).node());

        ActorKind<TestProtocol.Command> unknown =
                ActorKind.of("no-such-kind", TestProtocol.Command.class, () -> Behaviors.empty());
        RemoteException e =
                assertThrows(RemoteException.class, () -> pool.spawn("worker-1", unknown));
        assertTrue(
                e.getMessage()
                                .contains(
                                        "no actor kind 'no-such-kind' is registered on node worker-1")
                        && e.getMessage().contains("echo"),
                e.getMessage());
        RemoteException taken =
                assertThrows(
                        RemoteException.class,
                        () -> pool.spawn("worker-2", TestKinds.ECHO, "named-echo"));
        assertTrue(taken.getMessage().contains("named-echo"), taken.getMessage());
        RemoteException noWorker =
                assertThrows(RemoteException.class, () -> pool.spawn("worker-9", TestKinds.ECHO));
        assertTrue(
                noWorker.getMessage().contains("worker-9")
                        && noWorker.getMessage().contains("worker-1, worker-2"),
                noWorker.getMessage());
    }

    @Test
    void shouldSpreadWorkOverAllWorkersWithBothRouters() throws Exception {
        launch(PoolOptions.workers(2));
        for (Routing routing : Routing.values()) {
            ActorRef<TestProtocol.Command> router = pool.router(TestKinds.ECHO, routing);
            Map<String, Integer> byNode = new HashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int i = 0;
            while ((byNode.size() < 2
                            || byNode.values().stream().mapToInt(Integer::intValue).sum() < 40)
                    && System.nanoTime() < deadline) {
                TestProtocol.Pong pong = ask(router, i++);
                byNode.merge(pong.node(), 1, Integer::sum);
            }
            assertEquals(2, byNode.size(), routing + " reached " + byNode);
            assertTrue(
                    byNode.values().stream().allMatch(n -> n >= 5), routing + " spread " + byNode);
        }
    }

    @Test
    void shouldNotifyWatchersAndRestartAWorkerKilledWhileMessagesFlow() throws Exception {
        launch(
                PoolOptions.workers(2)
                        .withRestart(
                                RestartPolicy.onFailure(
                                        3, Duration.ofMillis(100), Duration.ofSeconds(1))));
        ActorRef<TestProtocol.Command> victim = pool.spawn("worker-1", TestKinds.ECHO);
        ActorRef<TestProtocol.Command> survivor = pool.spawn("worker-2", TestKinds.ECHO);
        TestProbe<String> watcher = kit.createTestProbe(String.class);
        kit.spawn(
                Behaviors.<String>setup(
                        ctx -> {
                            ctx.watch(victim);
                            return Behaviors.receive(String.class)
                                    .onSignal(
                                            Terminated.class,
                                            t -> {
                                                watcher.ref().tell("terminated");
                                                return Behaviors.same();
                                            })
                                    .build();
                        }));
        TestProbe<String> restarted = kit.createTestProbe(String.class);
        pool.onRestart(w -> restarted.ref().tell(w));
        ask(victim, 0);
        for (int i = 0; i < 10_000; i++) {
            victim.tell(new TestProtocol.Seq(i));
        }
        long oldPid = pool.pid("worker-1");
        long killedAt = System.nanoTime();
        ProcessHandle.of(oldPid).orElseThrow().destroyForcibly();
        assertEquals("terminated", watcher.receiveMessage(WAIT));
        long noticedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        assertTrue(noticedMs < 5_000, "Terminated after " + noticedMs + " ms");
        for (int i = 0; i < 1000; i++) {
            victim.tell(
                    new TestProtocol.Seq(
                            i)); // to the dead incarnation: dead letters, never blocking
        }
        assertEquals("worker-2", ask(survivor, 1).node(), "the other worker keeps working");
        assertEquals("worker-1", restarted.receiveMessage(Duration.ofSeconds(60)));
        assertEquals(1, pool.restarts("worker-1"));
        assertNotEquals(oldPid, pool.pid("worker-1"));
        assertEquals("worker-1", ask(pool.spawn("worker-1", TestKinds.ECHO), 2).node());
        assertFalse(ProcessHandle.of(oldPid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void shouldStopEveryWorkerOnClose() {
        launch(PoolOptions.workers(2));
        List<Long> pids = pool.workerNames().stream().map(pool::pid).toList();
        pool.close();
        for (long pid : pids) {
            assertFalse(
                    ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                    "worker pid " + pid + " still alive");
        }
    }

    @Test
    void shouldNameTheWorkerThatDidNotJoinWithItsOutput() {
        kit = ActorTestKit.create("parent", aeronDir.config("node-name", "parent"));
        long started = System.nanoTime();
        RemoteException e =
                assertThrows(
                        RemoteException.class,
                        () ->
                                ProcessPool.launch(
                                        kit.system(),
                                        PoolOptions.workers(1)
                                                .withJvmOptions(TestJvms.quickStart("-Xmx1k"))));
        assertTrue(
                e.getMessage().contains("worker-1")
                        && e.getMessage().contains("did not join: it ended before it was ready")
                        && e.getMessage().contains("exited with code 1"),
                e.getMessage());
        // A worker that cannot start fails the launch when it exits, not at the join timeout.
        assertTrue(
                System.nanoTime() - started < PoolOptions.workers(1).joinTimeout().toNanos() / 2,
                "launch failed only after "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
                        + " ms");
        assertTrue(
                e.getMessage().toLowerCase().contains("heap"),
                "the tail of the worker's output explains it: " + e.getMessage());
    }

    @Test
    void shouldLeaveNoWorkerAndNothingInDevShmWhenTheParentIsKilled() {
        ChildJvm parent =
                TestJvms.start(
                        PoolParentMain.class, aeronDir.jvmOptions("node-name", "parent"), "2");
        try {
            String line = parent.awaitLine("POOL READY", Duration.ofSeconds(60));
            List<Long> workers =
                    Arrays.stream(line.substring(line.indexOf("READY") + 6).trim().split(" "))
                            .map(Long::parseLong)
                            .toList();
            assertEquals(2, workers.size(), line);
            assertTrue(Files.exists(aeronDir.path()));
            long killedAt = System.nanoTime();
            parent.killProcessOnly(); // as a crash would: the workers must notice by themselves
            long deadline = killedAt + TimeUnit.SECONDS.toNanos(30);
            CompletableFuture<?>[] exits =
                    workers.stream()
                            .map(
                                    pid ->
                                            ProcessHandle.of(pid)
                                                    .map(ProcessHandle::onExit)
                                                    .orElse(
                                                            CompletableFuture.completedFuture(
                                                                    null)))
                            .toArray(CompletableFuture[]::new);
            try {
                CompletableFuture.allOf(exits).get(30, TimeUnit.SECONDS);
            } catch (Exception timedOut) {
                // asserted below, worker by worker
            }
            long goneMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            for (long pid : workers) {
                boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                if (alive) {
                    ProcessHandle.of(pid)
                            .ifPresent(
                                    ProcessHandle
                                            ::destroyForcibly); // our own grandchildren, by pid
                }
                assertFalse(alive, "worker " + pid + " outlived its killed parent");
            }
            assertTrue(
                    goneMs < 5_000,
                    "workers took " + goneMs + " ms to exit after the parent was killed");
            while ((Files.exists(aeronDir.path()) || Files.exists(aeronDir.lockFile()))
                    && System.nanoTime() < deadline) {
                LockSupport.parkNanos(10_000_000L); // poll the file system every 10 ms
            }
            assertFalse(
                    Files.exists(aeronDir.path()),
                    "the dead parent's Aeron directory was left in /dev/shm");
            assertFalse(Files.exists(aeronDir.lockFile()), "its lock file was left in /dev/shm");
        } finally {
            parent.kill();
        }
    }
}
