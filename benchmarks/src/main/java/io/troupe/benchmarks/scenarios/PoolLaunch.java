package io.troupe.benchmarks.scenarios;

import akka.actor.typed.ActorSystem;
import io.troupe.benchmarks.report.RemoteTable;
import io.troupe.remote.PoolOptions;
import io.troupe.remote.ProcessPool;
import io.troupe.remote.launch.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How long {@code ProcessPool.launch} takes for 1, 2 and 4 workers: from the call until it returns,
 * which it does only when every worker JVM has started, run its setup and joined. Once with workers
 * that start without a class-data-sharing archive ({@code troupe.remote.pool.class-data-sharing =
 * off}), once with it (made first by {@code ProcessPool.prepareWorkerArchive}), beside two floors
 * measured in the same run: a bare {@code java -version}, and a JVM on the same class path that
 * starts a bare Akka {@code ActorSystem} ({@link BareAkkaMain}).
 *
 * <pre>
 *   parent process (harness, hosts the driver)
 *   ProcessPool.launch(n) ──starts──▶ worker-1 .. worker-n JVMs ──join (heartbeat)──▶ parent
 *                          ◀── returns when all n joined (t)
 * </pre>
 *
 * Workers run {@link Echo.Kinds} as their setup and the pool's default JVM options; every launch is
 * a fresh pool, closed before the next.
 *
 * <p>Thread safety: runs on the harness thread.
 */
final class PoolLaunch {
    private static final Duration FLOOR_TIMEOUT = Duration.ofMinutes(1);

    private PoolLaunch() {}

    static void run(Run run, RemoteTable table) {
        int repeats = run.sizes().launchRepeats();
        table.add(new RemoteTable.StartFloor("java -version", javaVersion(repeats)));
        table.add(
                new RemoteTable.StartFloor(
                        "bare Akka ActorSystem", bareAkka(repeats, 1, List.of())));
        launches(run, table, RemoteTable.NO_ARCHIVE, "off");
        launches(run, table, RemoteTable.ARCHIVE, "auto");
    }

    /** The floors with the workers' archive: one bare ActorSystem, and four at once. */
    private static void archiveFloors(Run run, RemoteTable table, Path archive) {
        int repeats = run.sizes().launchRepeats();
        List<String> flags = List.of("-Xlog:cds=off", "-XX:SharedArchiveFile=" + archive);
        table.add(
                new RemoteTable.StartFloor(
                        "bare Akka ActorSystem, archive", bareAkka(repeats, 1, flags)));
        table.add(
                new RemoteTable.StartFloor(
                        "4 bare Akka at once, archive", bareAkka(repeats, 4, flags)));
    }

    private static void launches(Run run, RemoteTable table, String variant, String cds) {
        PoolOptions options = PoolOptions.workers(1).withWorkerSetup(Echo.Kinds.class);
        try (ScratchAeronDir dir = new ScratchAeronDir()) {
            ActorSystem<Void> actors =
                    TroupeNodes.startParent(
                            "bench-parent",
                            dir.path(),
                            "backoff",
                            "bench-parent",
                            Map.of("pool.class-data-sharing", cds));
            try {
                if (variant.equals(RemoteTable.ARCHIVE)) {
                    long t0 = System.nanoTime();
                    Path archive = ProcessPool.prepareWorkerArchive(actors, options);
                    if (archive == null) {
                        table.addLaunchNote(
                                "no archive rows: the harness's class path has directories, and"
                                        + " class-data sharing takes jars only; run the jar");
                        return;
                    }
                    run.progress(
                            "%s: worker archive %s ready after %.0f ms",
                            RemoteTable.LAUNCH, archive, (System.nanoTime() - t0) / 1e6);
                    archiveFloors(run, table, archive);
                }
                for (int n : run.sizes().poolSizes()) {
                    List<Double> samples = new ArrayList<>();
                    for (int r = 0; r < run.sizes().launchRepeats(); r++) {
                        long start = System.nanoTime();
                        try (ProcessPool pool =
                                ProcessPool.launch(
                                        actors,
                                        PoolOptions.workers(n).withWorkerSetup(Echo.Kinds.class))) {
                            samples.add((System.nanoTime() - start) / 1e6);
                            if (pool.workerNames().size() != n) {
                                throw new IllegalStateException(
                                        "A pool of " + n + " has workers " + pool.workerNames());
                            }
                        }
                        run.progress(
                                "%s %d worker(s), %s: %.0f ms",
                                RemoteTable.LAUNCH, n, variant, samples.get(samples.size() - 1));
                    }
                    table.add(new RemoteTable.PoolLaunch(n, variant, samples));
                }
            } finally {
                TroupeNodes.stop(actors);
            }
        }
    }

    /** Milliseconds until {@code java -version} exited, per try. */
    private static List<Double> javaVersion(int repeats) {
        List<Double> samples = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            try {
                Process p =
                        new ProcessBuilder(ChildJvm.javaExecutable().toString(), "-version")
                                .redirectErrorStream(true)
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                                .start();
                try {
                    if (!p.waitFor(FLOOR_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new IllegalStateException(
                                "java -version did not exit within " + FLOOR_TIMEOUT);
                    }
                } finally {
                    p.destroyForcibly();
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("Cannot run java -version: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted", e);
            }
            samples.add((System.nanoTime() - t0) / 1e6);
        }
        return samples;
    }

    /**
     * Milliseconds until {@code jvms} JVMs on the harness's class path, started at once with {@code
     * flags}, each had a bare ActorSystem up, per try.
     */
    private static List<Double> bareAkka(int repeats, int jvms, List<String> flags) {
        List<Double> samples = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            List<ChildJvm> children = new ArrayList<>();
            try {
                long t0 = System.nanoTime();
                for (int j = 0; j < jvms; j++) {
                    children.add(ChildJvm.builder(BareAkkaMain.class).jvmOptions(flags).start());
                }
                for (ChildJvm child : children) {
                    child.awaitLine(BareAkkaMain.READY, FLOOR_TIMEOUT);
                }
                samples.add((System.nanoTime() - t0) / 1e6);
                for (ChildJvm child : children) {
                    child.awaitExit(FLOOR_TIMEOUT);
                }
            } finally {
                children.forEach(ChildJvm::close);
            }
        }
        return samples;
    }
}
