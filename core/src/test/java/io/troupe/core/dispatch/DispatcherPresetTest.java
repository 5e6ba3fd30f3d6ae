package io.troupe.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Props;
import io.troupe.core.dispatch.ThreadReporter.BlockThenReport;
import io.troupe.core.dispatch.ThreadReporter.Report;
import io.troupe.core.dispatch.ThreadReporter.Reported;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/** Actors spawned with each preset run on that preset's threads, with the shipped defaults. */
class DispatcherPresetTest {

    // Akka's ActorTestKit, not troupe-testkit's extension: that module depends on this one.
    static final ActorTestKit testKit = ActorTestKit.create("DispatcherPresetTest");

    @AfterAll
    static void shutDownTestKit() {
        testKit.shutdownTestKit();
    }

    /** Deadline for any one reply or for threads to reach a gate. */
    private static final Duration WAIT = Duration.ofSeconds(15);

    /** How long a pool that is bounded gets to prove it is not: one more thread must not start. */
    private static final Duration NO_MORE_THREADS_WITHIN = Duration.ofMillis(300);

    /** blocking-io's fixed-pool-size and virtual-threads' fallback-pool-size in reference.conf. */
    private static final int DEFAULT_POOL_SIZE = 32;

    @Test
    void shouldRunOnCpuBoundThreadsWhenSpawnedWithCpuBound() {
        Reported reported = reportFrom(DispatcherPreset.CPU_BOUND.selector());

        assertThreadOf(DispatcherPreset.CPU_BOUND, reported.threadName());
        assertFalse(reported.virtual(), reported.toString());
    }

    @Test
    void shouldRunOnBlockingIoThreadsWhenSpawnedWithBlockingIo() {
        Reported reported = reportFrom(DispatcherPreset.BLOCKING_IO.selector());

        assertThreadOf(DispatcherPreset.BLOCKING_IO, reported.threadName());
        assertFalse(reported.virtual(), reported.toString());
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void shouldRunOnVirtualThreadsWhenSpawnedWithVirtualThreadsOnJava21OrLater() {
        Reported reported = reportFrom(DispatcherPreset.VIRTUAL_THREADS.selector());

        assertThreadOf(DispatcherPreset.VIRTUAL_THREADS, reported.threadName());
        assertTrue(reported.virtual(), "expected a virtual thread: " + reported);
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void shouldRunOnFallbackPlatformThreadsWhenSpawnedWithVirtualThreadsBeforeJava21() {
        Reported reported = reportFrom(DispatcherPreset.VIRTUAL_THREADS.selector());

        assertThreadOf(DispatcherPreset.VIRTUAL_THREADS, reported.threadName());
        assertFalse(reported.virtual(), reported.toString());
    }

    @Test
    void shouldStayOffPresetThreadsWhenSpawnedWithoutSelector() {
        Reported reported = reportFrom(Props.empty());

        assertTrue(
                reported.threadName()
                        .startsWith(testKit.system().name() + "-akka.actor.default-dispatcher-"),
                "expected Akka's default dispatcher: " + reported);
        assertFalse(
                reported.threadName().contains(DispatcherPreset.CONFIG_ROOT), reported.toString());
    }

    @Test
    void shouldRunAtMostFixedPoolSizeAtOnceWhenMoreBlockingIoActorsBlock()
            throws InterruptedException {
        assertBoundedAt(DEFAULT_POOL_SIZE, DispatcherPreset.BLOCKING_IO);
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void shouldRunAtMostFallbackPoolSizeAtOnceWhenVirtualThreadsUnavailable()
            throws InterruptedException {
        assertBoundedAt(DEFAULT_POOL_SIZE, DispatcherPreset.VIRTUAL_THREADS);
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void shouldBlockEveryActorAtOnceWhenVirtualThreadsAvailable() throws InterruptedException {
        int actors = 4 * DEFAULT_POOL_SIZE;
        Gate gate = new Gate(WAIT);
        TestProbe<Reported> probe = testKit.createTestProbe(Reported.class);
        for (int i = 0; i < actors; i++) {
            spawnReporter(DispatcherPreset.VIRTUAL_THREADS.selector())
                    .tell(new BlockThenReport(gate, probe.getRef()));
        }

        boolean allBlockedAtOnce = gate.awaitEntered(actors, WAIT);
        gate.open();
        List<Reported> replies = probe.receiveSeveralMessages(actors, WAIT);

        assertTrue(
                allBlockedAtOnce,
                "only " + gate.entered() + " of " + actors + " actors got a thread");
        assertEquals(actors, gate.mostInsideAtOnce());
        replies.forEach(r -> assertTrue(r.released() && r.virtual(), r.toString()));
    }

    @Test
    void shouldReportVirtualThreadsAvailableOnlyWhenJava21OrLater() {
        assertEquals(Runtime.version().feature() >= 21, DispatcherPreset.virtualThreadsAvailable());
    }

    @Test
    void shouldSelectItsConfigPathWhenAskedForSelector() {
        for (DispatcherPreset preset : DispatcherPreset.values()) {
            assertEquals(DispatcherSelector.fromConfig(preset.configPath()), preset.selector());
            assertTrue(
                    testKit.system().settings().config().hasPath(preset.configPath()),
                    preset.configPath());
        }
        assertEquals(
                "troupe.dispatchers.virtual-threads",
                DispatcherPreset.VIRTUAL_THREADS.configPath());
    }

    /**
     * Blocks poolSize + 4 actors at once: exactly poolSize may get a thread, each a different one
     * of the preset's, and the rest run once the gate opens.
     */
    private static void assertBoundedAt(int poolSize, DispatcherPreset preset)
            throws InterruptedException {
        int actors = poolSize + 4;
        Gate gate = new Gate(WAIT);
        TestProbe<Reported> probe = testKit.createTestProbe(Reported.class);
        for (int i = 0; i < actors; i++) {
            spawnReporter(preset.selector()).tell(new BlockThenReport(gate, probe.getRef()));
        }

        boolean poolFilled = gate.awaitEntered(poolSize, WAIT);
        boolean oneMoreGotAThread = gate.awaitEntered(poolSize + 1, NO_MORE_THREADS_WITHIN);
        gate.open();
        List<Reported> replies = probe.receiveSeveralMessages(actors, WAIT);

        assertTrue(poolFilled, "only " + gate.entered() + " of " + poolSize + " threads started");
        assertFalse(oneMoreGotAThread, "more than " + poolSize + " actors blocked at once");
        assertEquals(poolSize, gate.mostInsideAtOnce());
        Set<String> threads = new HashSet<>();
        for (Reported reply : replies) {
            assertTrue(reply.released(), reply.toString());
            assertThreadOf(preset, reply.threadName());
            threads.add(reply.threadName());
        }
        assertEquals(poolSize, threads.size(), "distinct threads: " + threads);
    }

    private static Reported reportFrom(Props props) {
        TestProbe<Reported> probe = testKit.createTestProbe(Reported.class);
        spawnReporter(props).tell(new Report(probe.getRef()));
        return probe.expectMessageClass(Reported.class, WAIT);
    }

    private static ActorRef<ThreadReporter.Command> spawnReporter(Props props) {
        return testKit.spawn(ThreadReporter.create(), props);
    }

    /** Akka's naming, "<system>-<dispatcher id>-<n>", which makes the preset visible in dumps. */
    private static void assertThreadOf(DispatcherPreset preset, String threadName) {
        Pattern expected =
                Pattern.compile(
                        Pattern.quote(testKit.system().name() + "-" + preset.configPath() + "-")
                                + "\\d+");
        assertTrue(
                expected.matcher(threadName).matches(),
                "thread [" + threadName + "] is not a " + preset + " thread matching " + expected);
    }
}
