package io.troupe.remote.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import io.troupe.remote.Member;
import io.troupe.remote.PoolOptions;
import io.troupe.remote.ProcessPool;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.RestartPolicy;
import io.troupe.remote.soak.Ledger.Reason;
import io.troupe.remote.soak.Ledger.Snapshot;
import io.troupe.remote.soak.Ledger.Total;
import io.troupe.remote.soak.SoakProtocol.Message;
import io.troupe.remote.soak.SoakProtocol.Sampled;
import io.troupe.remote.testsupport.TestAeronDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded multi-process soak: four Troupe nodes exchange random traffic while workers are
 * SIGKILLed and restarted, and every message is accounted for.
 *
 * <h2>Topology</h2>
 *
 * The test JVM is node {@code parent}: it hosts the media driver of an Aeron directory of the
 * test's own and a {@link ProcessPool} of three worker JVMs ({@code worker-1..3}, restarted on
 * failure). Each of the four processes runs one {@link TrafficActor} (workers start theirs in
 * {@link SoakWorkerSetup}) that learns the others from membership, death-watches them, and tells
 * them random {@link SoakProtocol.Traffic} (0-300 KiB: single frames, Aeron-fragmented, and
 * Troupe-chunked) and asks them {@link SoakProtocol.Question}s with a 2 s timeout: at most ~400
 * tells and ~10 asks per second per process (about half that measured on a loaded 2-core machine,
 * where ticks run late).
 *
 * <h2>Kills</h2>
 *
 * After a 3 s warm-up, every {@code troupe.soak.kill-every-seconds} (default 5) the test SIGKILLs
 * (by pid) {@code worker-2} or {@code worker-3} in turn, once every other live process knows the
 * victim's current incarnation; the pool restarts it (a new incarnation, which the others then look
 * up and watch). No kill comes later than one interval before the end, so the last restart has time
 * to join. {@code parent} and {@code worker-1} are never killed: they are where "nothing is lost
 * while both ends live" and "resources stay flat" are measured.
 *
 * <h2>Accounting</h2>
 *
 * Every incarnation counts into a {@link Ledger}, a memory-mapped file that survives SIGKILL: tells
 * sent and received per peer incarnation (with per-pair sequence numbers: no duplicates, no
 * reordering), its own dead letters (Troupe's {@code Dropped} events, classified by their reason),
 * asks and how each ended, {@code Terminated} signals seen. When the time is up, the test writes a
 * stop flag into a shared control file, waits until the ledgers are quiet and every ask of a live
 * process ended, and checks with {@link SoakAccounting}: per pair, {@code sent = received +
 * dead-lettered}, plus a bounded "in flight when its receiver was killed" or "lost with its killed
 * sender" only where that end was killed.
 *
 * <h2>Resources</h2>
 *
 * After the first kill-and-restart cycle (so that its one-off threads exist: the pool's restarter,
 * the JDK's process reaper, which keeps an idle thread for 60 s) and again at the end (traffic
 * stopped, quiet), each process reports heap used after a {@code System.gc()}, live threads and
 * open file descriptors; the test adds the size of the Aeron directory. For the never-killed {@code
 * parent} and {@code worker-1} it asserts: heap growth under {@value #HEAP_GROWTH_MB} MB; threads
 * outside Akka's dispatcher pools and the JDK's process reapers at most {@value #THREAD_GROWTH}
 * more; threads in those fork-join pools (which start small and grow on demand, as traffic needs
 * them) at most their configured parallelism; process reapers (one per live child, and one idle for
 * 60 s after each child that ended; a worker's waits for its parent) at most the children plus the
 * kills (a worker: one); file descriptors at most {@value #FD_GROWTH} more. The Aeron directory
 * (files' apparent sizes) may grow at most {@value #SHM_GROWTH_MB} MiB: streams are per node name,
 * so a restarted node reuses its predecessor's log; the bound is the one FailureDetectionTest keeps
 * over 20 restarts, and Aeron keeps a killed client's logs until the driver has timed it out and
 * they lingered out, so the test waits up to {@code SHM_SETTLE} for that. Killed workers' rows
 * compare two different processes and are shown, not asserted.
 *
 * <h2>Running it</h2>
 *
 * Tagged {@code soak} (select it with {@code -Dgroups=soak}, leave it out with {@code
 * -DexcludedGroups=soak}); CI runs it once, in {@code mvn verify}'s test phase, at the default 30 s
 * of traffic: 37-47 s in all with JVM starts, measured. By hand, ten minutes:
 *
 * <pre>
 * mvn -pl remote -am verify -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false -Dtroupe.fuzz.skip=true \
 *     -Dtroupe.soak.seconds=600
 * </pre>
 *
 * ({@code -Dtroupe.soak.kill-every-seconds=N} changes the kill rate.) The summary table goes to
 * stdout; failures carry it too.
 *
 * <p>This traffic is varied but slow (hundreds of messages per second); {@link LoadSoakTest} is the
 * load mode: small one-way tells at about 100k msgs/s under the same kills, accounted per message.
 */
@Tag("soak")
class SoakTest {
    static final int HEAP_GROWTH_MB = 32;
    static final int THREAD_GROWTH = 2;
    static final int FD_GROWTH = 8;
    static final int SHM_GROWTH_MB = 16;

    /** How long the Aeron directory may take to shed the last killed incarnation's logs. */
    static final Duration SHM_SETTLE = Duration.ofSeconds(30);

    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 50; // how often the ledgers are read while waiting
    private static final List<String> VICTIMS = List.of("worker-2", "worker-3");
    private static final List<String> NODES = List.of("parent", "worker-1", "worker-2", "worker-3");

    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();

    @TempDir Path ledgers;

    private ActorTestKit kit;
    private ProcessPool pool;
    private final Set<Long> childPids = new TreeSet<>();

    @AfterEach
    void tearDown() {
        if (pool != null) {
            pool.close();
        }
        SoakSupport.killAll(childPids); // our own worker JVMs only, by pid
        if (kit != null) {
            kit.shutdownTestKit();
        }
    }

    @Test
    void shouldAccountForEveryMessageAndStayFlatWhileWorkersAreKilledAndRestarted()
            throws Exception {
        long seconds = Long.getLong("troupe.soak.seconds", 30);
        long killEvery = Long.getLong("troupe.soak.kill-every-seconds", 5);
        long began = System.nanoTime();
        Path controlFile = Files.write(ledgers.resolve("control"), new byte[8]);
        MappedByteBuffer control = TrafficActor.mapControl(controlFile);
        control.order(ByteOrder.nativeOrder());

        kit = ActorTestKit.create("soak", aeronDir.config("node-name", "parent"));
        RemoteNode node = RemoteNode.get(kit.system());
        SoakWorkerSetup.start(node, ledgers, 7);
        pool =
                ProcessPool.launch(
                        kit.system(),
                        PoolOptions.workers(3)
                                .withWorkerSetup(SoakWorkerSetup.class)
                                .withJvmOptions(
                                        List.of(
                                                "-Xmx128m",
                                                "-Xss1m",
                                                "-XX:+UseSerialGC",
                                                "-D" + SoakWorkerSetup.DIR_PROPERTY + "=" + ledgers,
                                                "-D" + SoakWorkerSetup.SEED_PROPERTY + "=7"))
                                .withRestart(
                                        RestartPolicy.onFailure(
                                                100_000,
                                                Duration.ofMillis(100),
                                                Duration.ofSeconds(1)))
                                .withJoinTimeout(WAIT));
        pool.workerNames().forEach(w -> childPids.add(pool.pid(w)));
        double launchSeconds = (System.nanoTime() - began) / 1e9;

        SoakSupport.await(
                "every process to know the other three",
                WAIT,
                POLL_MILLIS,
                () ->
                        current().size() == 4
                                && current().values().stream()
                                        .allMatch(s -> s.total(Total.TARGETS_KNOWN) == 3));
        long trafficStart = System.nanoTime();
        SoakSupport.parkUntil(trafficStart + WARM_UP.toNanos());
        Map<String, Sampled> before = null;
        long[] shmBefore = null;

        // Kills: worker-2 and worker-3 in turn, each once every other live process knows its
        // current incarnation.
        Map<Long, Long> killedAt = new LinkedHashMap<>();
        Map<String, Integer> kills = new LinkedHashMap<>();
        VICTIMS.forEach(v -> kills.put(v, 0));
        long end = trafficStart + TimeUnit.SECONDS.toNanos(seconds);
        long nextKill = trafficStart + WARM_UP.toNanos() + TimeUnit.SECONDS.toNanos(killEvery);
        int turn = 0;
        while (nextKill <= end - TimeUnit.SECONDS.toNanos(killEvery)) {
            SoakSupport.parkUntil(nextKill);
            String victim = VICTIMS.get(turn++ % VICTIMS.size());
            int k = kills.get(victim);
            SoakSupport.await(
                    victim + " to be restarted and known by every other process",
                    WAIT,
                    POLL_MILLIS,
                    () ->
                            pool.restarts(victim) == k
                                    && SoakSupport.member(node, victim)
                                            .filter(m -> knownByAll(m.incarnation()))
                                            .isPresent());
            Member m = SoakSupport.member(node, victim).orElseThrow();
            assertEquals(
                    pool.pid(victim), m.pid(), "the pool's pid of " + victim + " is the member's");
            ProcessHandle.of(m.pid())
                    .orElseThrow(
                            () ->
                                    new AssertionError(
                                            victim + " (pid " + m.pid() + ") is already gone"))
                    .destroyForcibly();
            killedAt.put(m.incarnation(), System.currentTimeMillis());
            kills.merge(victim, 1, Integer::sum);
            nextKill += TimeUnit.SECONDS.toNanos(killEvery);
            if (before == null) {
                // The baseline comes after one kill-and-restart cycle, so that its one-off threads
                // exist (the pool's
                // restarter, a process reaper kept idle by the JDK): "flat" means no growth per
                // cycle.
                SoakSupport.await(
                        victim + " to be restarted after the first kill",
                        WAIT,
                        POLL_MILLIS,
                        () ->
                                pool.restarts(victim) == 1
                                        && SoakSupport.member(node, victim)
                                                .filter(mm -> knownByAll(mm.incarnation()))
                                                .isPresent());
                before = sampleAll(node);
                shmBefore = shm();
            }
        }
        if (before == null) {
            before = sampleAll(node);
            shmBefore = shm();
        }
        SoakSupport.parkUntil(end);
        for (String v : VICTIMS) {
            SoakSupport.await(
                    v + " to be restarted after its last kill",
                    WAIT,
                    POLL_MILLIS,
                    () ->
                            pool.restarts(v) == kills.get(v)
                                    && SoakSupport.member(node, v)
                                            .filter(m -> knownByAll(m.incarnation()))
                                            .isPresent());
            childPids.add(pool.pid(v));
        }

        control.putLong(0, 1); // every traffic actor stops sending at its next tick
        long stoppedAt = System.nanoTime();
        awaitQuiet(killedAt);
        double drainSeconds = (System.nanoTime() - stoppedAt) / 1e9;
        Map<String, Sampled> after = sampleAll(node);
        // A SIGKILLed incarnation's logs stay in the directory until the driver times its client
        // out (client-liveness-timeout) and the publications to it linger out; the last kill may be
        // only seconds ago: wait for that, as FailureDetectionTest does. A leak never gets back.
        long[] shmAfter = shm();
        long shmDeadline = System.nanoTime() + SHM_SETTLE.toNanos();
        while (shmAfter[0] > shmBefore[0] + SHM_GROWTH_MB * 1024L * 1024
                && System.nanoTime() - shmDeadline < 0) {
            SoakSupport.parkUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(250));
            shmAfter = shm();
        }

        SoakAccounting acc = new SoakAccounting(Ledger.readAll(ledgers), killedAt);
        Map<String, Integer> restarts = new LinkedHashMap<>();
        VICTIMS.forEach(v -> restarts.put(v, pool.restarts(v)));
        String table =
                SoakReport.table(
                                NODES,
                                acc,
                                kills,
                                restarts,
                                before,
                                after,
                                aeronDir.path(),
                                shmBefore,
                                shmAfter)
                        + SoakReport.timeline(Ledger.readAll(ledgers), killedAt)
                        + String.format(
                                "run: %d s of traffic, launch %.1f s, drain %.1f s, total %.1f s%n",
                                seconds,
                                launchSeconds,
                                drainSeconds,
                                (System.nanoTime() - began) / 1e9);
        System.out.println(table);

        List<String> problems = new ArrayList<>(acc.violations);
        for (String v : VICTIMS) {
            if (pool.restarts(v) != kills.get(v)) {
                problems.add(
                        v
                                + " was killed "
                                + kills.get(v)
                                + " times but restarted "
                                + pool.restarts(v)
                                + " times");
            }
        }
        if (killedAt.isEmpty()) {
            problems.add(
                    "no worker was killed: troupe.soak.seconds ("
                            + seconds
                            + ") must leave room for warm-up and two kill intervals ("
                            + killEvery
                            + " s)");
        } else if (acc.deadLettered(Reason.RECEIVER_DOWN) == 0) {
            problems.add(
                    "workers were killed, yet no message to them went to dead letters as 'receiver down'");
        }
        if (acc.deadLettered(Reason.OTHER) > 0) {
            problems.add(
                    acc.deadLettered(Reason.OTHER)
                            + " dead letters with an unclassified reason (see notes)");
        }
        if (acc.timedOutBetweenStable * 100
                > acc.asksBetweenStable * SoakAccounting.ASK_TIMEOUT_SHARE_PERCENT) {
            problems.add(
                    acc.timedOutBetweenStable
                            + " of "
                            + acc.asksBetweenStable
                            + " asks between parent and worker-1 timed out (more"
                            + " than "
                            + SoakAccounting.ASK_TIMEOUT_SHARE_PERCENT
                            + "%)");
        }
        int totalKills = kills.values().stream().mapToInt(Integer::intValue).sum();
        for (String n : List.of("parent", "worker-1")) {
            Sampled b = before.get(n);
            Sampled a = after.get(n);
            assertEquals(
                    b.incarnation(),
                    a.incarnation(),
                    n + " must be the same incarnation at both samples");
            if (a.heapUsedAfterGc() - b.heapUsedAfterGc() > HEAP_GROWTH_MB * 1024L * 1024) {
                problems.add(
                        n
                                + ": heap after GC grew "
                                + SoakReport.mb(b.heapUsedAfterGc())
                                + " -> "
                                + SoakReport.mb(a.heapUsedAfterGc())
                                + " MB (bound +"
                                + HEAP_GROWTH_MB
                                + ")");
            }
            if (a.otherThreads() > b.otherThreads() + THREAD_GROWTH) {
                problems.add(
                        n
                                + ": threads outside Akka's dispatcher pools and the JDK's process"
                                + " reapers "
                                + b.otherThreads()
                                + " -> "
                                + a.otherThreads()
                                + " (bound +"
                                + THREAD_GROWTH
                                + "): "
                                + SoakReport.threadDiff(b.threadNames(), a.threadNames()));
            }
            // The parent: one reaper per live child, plus those of children that ended in the
            // last 60 s. A worker: one, for the parent whose exit it waits for.
            int reaperBound = n.equals("parent") ? NODES.size() - 1 + totalKills : 1;
            if (a.processReapers() > reaperBound) {
                problems.add(
                        n
                                + ": "
                                + a.processReapers()
                                + " process reaper threads, more than the "
                                + reaperBound
                                + (n.equals("parent")
                                        ? " of its children (" + (NODES.size() - 1) + ") and kills"
                                        : " that waits for its parent's exit"));
            }
            if (a.dispatcherThreads() > a.dispatcherParallelism()) {
                problems.add(
                        n
                                + ": "
                                + a.dispatcherThreads()
                                + " threads in Akka's dispatcher pools, more than their parallelism "
                                + a.dispatcherParallelism());
            }
            if (a.fds() > b.fds() + FD_GROWTH) {
                problems.add(
                        n
                                + ": open file descriptors "
                                + b.fds()
                                + " -> "
                                + a.fds()
                                + " (bound +"
                                + FD_GROWTH
                                + ")");
            }
        }
        if (shmAfter[0] > shmBefore[0] + SHM_GROWTH_MB * 1024L * 1024) {
            problems.add(
                    "Aeron directory grew "
                            + shmBefore[0]
                            + " -> "
                            + shmAfter[0]
                            + " bytes (bound +"
                            + SHM_GROWTH_MB
                            + " MiB)");
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " problems:\n  " + String.join("\n  ", problems) + "\n" + table);
        }
        assertTrue(acc.sent > 0 && acc.received > 0, table);
    }

    /** The latest ledger of each node name: its current (live) incarnation. */
    private Map<String, Snapshot> current() {
        Map<String, Snapshot> latest = new LinkedHashMap<>();
        for (Snapshot s : Ledger.readAll(ledgers).values()) {
            latest.merge(
                    s.node(),
                    s,
                    (a, b) ->
                            a.total(Total.STARTED_MILLIS) >= b.total(Total.STARTED_MILLIS) ? a : b);
        }
        return latest;
    }

    /**
     * Whether every other process's current incarnation has looked {@code incarnation} up (and so
     * watches it).
     */
    private boolean knownByAll(long incarnation) {
        Map<String, Snapshot> now = current();
        return now.size() == 4
                && now.values().stream()
                        .allMatch(
                                s ->
                                        s.incarnation() == incarnation
                                                || s.peers().containsKey(incarnation));
    }

    /**
     * Waits until the ledgers stop changing (two reads 1 s apart agree) and every live process's
     * asks have ended: after the stop flag, what is still in flight arrives, dead-letters or times
     * out (asks after 2 s).
     */
    private void awaitQuiet(Map<Long, Long> killedAt) {
        String[] last = {""};
        long[] stableSince = {System.nanoTime()};
        SoakSupport.await(
                "the ledgers to go quiet after the stop",
                WAIT,
                POLL_MILLIS,
                () -> {
                    Map<Long, Snapshot> all = Ledger.readAll(ledgers);
                    StringBuilder f = new StringBuilder();
                    boolean asksOpen = false;
                    for (Snapshot s : all.values()) {
                        for (Total t : Total.values()) {
                            if (t != Total.TICKS && !t.name().startsWith("NODE_")) {
                                f.append(s.total(t)).append(',');
                            }
                        }
                        s.peers().values().forEach(v -> f.append(Arrays.toString(v)));
                        long ended =
                                s.total(Total.ASKS_ANSWERED)
                                        + s.total(Total.ASKS_TIMED_OUT)
                                        + s.total(Total.ASKS_FAILED);
                        asksOpen |=
                                !killedAt.containsKey(s.incarnation())
                                        && ended != s.total(Total.ASKS_SENT);
                    }
                    String now = f.toString();
                    if (!now.equals(last[0]) || asksOpen) {
                        last[0] = now;
                        stableSince[0] = System.nanoTime();
                        return false;
                    }
                    return System.nanoTime() - stableSince[0] > TimeUnit.SECONDS.toNanos(1);
                });
    }

    private Map<String, Sampled> sampleAll(RemoteNode node) throws Exception {
        Map<String, Sampled> samples = new LinkedHashMap<>();
        samples.put(
                "parent",
                TrafficActor.measure(
                        "parent", node.incarnation(), kit.system().settings().config()));
        for (String w : pool.workerNames()) {
            ActorRef<Message> ref =
                    node.lookup(w, TrafficActor.PUBLISHED_NAME, Message.class)
                            .toCompletableFuture()
                            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            samples.put(
                    w,
                    AskPattern.<Message, Sampled>ask(
                                    ref,
                                    SoakProtocol.Sample::new,
                                    Duration.ofSeconds(30),
                                    kit.scheduler())
                            .toCompletableFuture()
                            .get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        return samples;
    }

    /** The Aeron directory: {apparent bytes of its files, bytes allocated (du)}. */
    private long[] shm() {
        long apparent;
        try (Stream<Path> s = Files.walk(aeronDir.path())) {
            apparent =
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long allocated = -1;
        try {
            Process du =
                    new ProcessBuilder("du", "-sk", aeronDir.path().toString())
                            .redirectErrorStream(true)
                            .start();
            String out = new String(du.getInputStream().readAllBytes()).trim();
            if (du.waitFor(10, TimeUnit.SECONDS) && du.exitValue() == 0) {
                allocated = Long.parseLong(out.split("\\s+")[0]) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            // allocated stays unknown (-1)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new long[] {apparent, allocated};
    }
}
