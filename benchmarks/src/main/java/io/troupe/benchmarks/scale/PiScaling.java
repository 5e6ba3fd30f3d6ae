package io.troupe.benchmarks.scale;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.benchmarks.report.JsonReport;
import io.troupe.benchmarks.scenarios.ScratchAeronDir;
import io.troupe.examples.ExampleCluster;
import io.troupe.examples.pi.Estimator;
import io.troupe.examples.pi.PiSetup;
import io.troupe.examples.pi.PiWorker;
import io.troupe.remote.PoolOptions;
import io.troupe.remote.ProcessPool;
import io.troupe.remote.RemoteNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code scaling}: the {@code pi} example's CPU-bound work on 1 and on 2 worker processes of this
 * machine, the same chunks each time, and the speed-up. It runs the example's own actors: the
 * {@link Estimator} in this process hands the chunks out to {@link PiWorker}s in the pool's workers
 * (the example's worker JVM flags, {@link ExampleCluster#WORKER_JVM_OPTIONS}).
 *
 * <pre>
 *   harness (hosts the driver, Estimator) ──chunks──▶ worker-1 [.. worker-N] (PiWorker each)
 *                                          ◀─counts──
 *   wall (N)    = ProcessPool.launch(N) + spawn + the first, cold estimate on a fresh pool of N
 *   compute (n) = median over repeats of the Estimator's own time for one estimate on n workers
 * </pre>
 *
 * For each worker count a fresh pool is launched and its first estimate timed cold, start-up
 * included (the wall time a user waits). The computation is then timed on the largest pool,
 * alternating between its first worker alone and all its workers, repeat after repeat (so a
 * neighbour's load drifting over the run hits both alike); the pool's start-up is excluded, and the
 * cold estimate has warmed every worker's JIT. The speed-up is the 1-worker median over the
 * N-worker median. Every estimate must count exactly the same points inside the circle (each chunk
 * has its own seed), or the result says so.
 *
 * <p>Thread safety: {@link #run} from one thread; the result is immutable.
 */
public final class PiScaling {
    /** The scenario name in tables and JSON. */
    public static final String SCENARIO = "scaling";

    /** The speed-up the issue asks of 2 workers on 2 cores. */
    public static final double TARGET_SPEED_UP = 1.8;

    private static final Duration SHUTDOWN = Duration.ofSeconds(30);

    /**
     * Linux's USER_HZ, the unit of /proc/PID/stat's CPU times: 100 on every mainstream
     * architecture.
     */
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private PiScaling() {}

    /**
     * How much a run does.
     *
     * @param workerCounts worker processes, ascending; the first is usually 1, the speed-up is last
     *     over first
     * @param millionSamples points per estimate, in millions (the example's {@code --samples})
     * @param chunks chunks per estimate (the example's {@code --chunks})
     * @param repeats timed estimates per worker count; the figure is their median
     */
    public record Sizes(List<Integer> workerCounts, int millionSamples, int chunks, int repeats) {
        /** About 3 s per estimate on one worker (~3.3 ns a point measured here). */
        public static final Sizes DEFAULT = new Sizes(List.of(1, 2), 1000, 40, 5);

        /** About 1 s per estimate on one worker. */
        public static final Sizes QUICK = new Sizes(List.of(1, 2), 300, 40, 3);

        public static final Sizes SMOKE = new Sizes(List.of(1, 2), 4, 4, 1);

        public Sizes {
            workerCounts = List.copyOf(workerCounts);
            if (workerCounts.isEmpty() || workerCounts.get(0) < 1) {
                throw new IllegalArgumentException(
                        "workerCounts must start at 1 or more, was " + workerCounts);
            }
            for (int i = 1; i < workerCounts.size(); i++) {
                if (workerCounts.get(i) <= workerCounts.get(i - 1)) {
                    throw new IllegalArgumentException(
                            "workerCounts must be strictly ascending, was " + workerCounts);
                }
            }
            if (millionSamples < 1 || chunks < 1 || repeats < 1) {
                throw new IllegalArgumentException(
                        "millionSamples, chunks and repeats must be >= 1, were "
                                + millionSamples
                                + ", "
                                + chunks
                                + " and "
                                + repeats);
            }
        }

        long samplesPerChunk() {
            return Math.max(1, millionSamples * 1_000_000L / chunks);
        }
    }

    /**
     * One worker count.
     *
     * @param startupMillis {@code ProcessPool.launch} and spawning a PiWorker on each, on a fresh
     *     pool
     * @param coldMillis the first estimate on that fresh pool (JIT still cold)
     * @param computeMillis the timed estimates (warm), in run order
     * @param coresUsed for each timed estimate, the CPU time all worker processes used during it
     *     over its duration: ~n when n workers each had a core, less when other processes took the
     *     cores ({@code NaN} where {@code /proc} cannot be read)
     * @param chunksPerWorker how the last timed estimate spread its chunks
     */
    public record Workers(
            int workers,
            double startupMillis,
            double coldMillis,
            List<Double> computeMillis,
            List<Double> coresUsed,
            List<Integer> chunksPerWorker) {
        public Workers {
            computeMillis = List.copyOf(computeMillis);
            coresUsed = List.copyOf(coresUsed);
            chunksPerWorker = List.copyOf(chunksPerWorker);
        }

        public double medianCoresUsed() {
            return median(coresUsed);
        }

        /**
         * Points per CPU-second of the workers: the median compute rate over the median cores used.
         * Equal across worker counts when the pool adds no overhead, whatever share of the cores
         * other processes took.
         */
        public double pointsPerCpuSecond(long samples) {
            return samples / (medianComputeMillis() / 1e3) / medianCoresUsed();
        }

        public double medianComputeMillis() {
            return median(computeMillis);
        }

        /** What a user waits for one estimate on a fresh pool: start-up plus the cold estimate. */
        public double wallMillis() {
            return startupMillis + coldMillis;
        }
    }

    /**
     * What a run measured.
     *
     * @param samples points per estimate
     * @param consistent every estimate counted the same points inside the circle
     * @param loadBefore {@code /proc/loadavg}'s 1-minute load when the run started ({@code NaN} if
     *     unknown)
     * @param loadAfter the same when it ended
     */
    public record Result(
            long samples,
            int chunks,
            int cores,
            List<String> workerJvmFlags,
            List<Workers> rows,
            boolean consistent,
            double pi,
            double loadBefore,
            double loadAfter) {
        public Result {
            workerJvmFlags = List.copyOf(workerJvmFlags);
            rows = List.copyOf(rows);
        }

        /** The first row's median compute time over the last row's. */
        public double speedUp() {
            return rows.get(0).medianComputeMillis()
                    / rows.get(rows.size() - 1).medianComputeMillis();
        }

        /** The same for wall time, start-up included. */
        public double wallSpeedUp() {
            return rows.get(0).wallMillis() / rows.get(rows.size() - 1).wallMillis();
        }

        /** A small text table: one row per worker count, then the speed-ups against the target. */
        public String render() {
            StringBuilder sb = new StringBuilder();
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "Scaling: pi example, %,d points in %d chunks per estimate; %d cores; load %.1f -> %.1f"
                                    + "; worker JVMs: %s%n",
                            samples,
                            chunks,
                            cores,
                            loadBefore,
                            loadAfter,
                            String.join(" ", workerJvmFlags)));
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  %-8s %11s %11s %11s %14s %12s %8s %8s  %s%n",
                            "workers",
                            "compute ms",
                            "M points/s",
                            "cores used",
                            "M points/CPU-s",
                            "start-up ms",
                            "cold ms",
                            "wall ms",
                            "chunks per worker (compute runs, ms)"));
            for (Workers w : rows) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "  %-8d %11.0f %11.1f %11.2f %14.1f %12.0f %8.0f %8.0f  %s (%s)%n",
                                w.workers(),
                                w.medianComputeMillis(),
                                samples / (w.medianComputeMillis() * 1e3),
                                w.medianCoresUsed(),
                                w.pointsPerCpuSecond(samples) / 1e6,
                                w.startupMillis(),
                                w.coldMillis(),
                                w.wallMillis(),
                                w.chunksPerWorker(),
                                w.computeMillis().stream()
                                        .map(m -> String.format(Locale.ROOT, "%.0f", m))
                                        .reduce((a, b) -> a + " " + b)
                                        .orElse("")));
            }
            int n = rows.get(rows.size() - 1).workers();
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  speed-up %d vs %d workers: %.2fx compute (start-up excluded; target >= %.1fx on 2 cores%s),"
                                    + " %.2fx wall (start-up included)%n",
                            n,
                            rows.get(0).workers(),
                            speedUp(),
                            TARGET_SPEED_UP,
                            speedUp() >= TARGET_SPEED_UP ? ", met" : ", NOT met",
                            wallSpeedUp()));
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  (cores used: CPU time of all worker processes during a compute run over its"
                                    + " duration; below the worker count, other processes had the cores. M points/CPU-s equal across rows: the pool"
                                    + " costs nothing, and the speed-up is as good as the cores the workers got)%n"));
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  pi ~ %.6f; every estimate counted %s points inside the circle%n",
                            pi,
                            consistent ? "the same" : "DIFFERENT (FAILED)"));
            return sb.toString();
        }

        /** One JSON object per worker count, with the speed-up on the last. */
        public void addTo(JsonReport report) {
            for (Workers w : rows) {
                Map<String, Object> m = report.add(SCENARIO, "troupe", 0);
                m.put("workers", w.workers());
                m.put("samples", samples);
                m.put("chunks", chunks);
                m.put("compute_ms", w.medianComputeMillis());
                m.put("compute_runs_ms", w.computeMillis());
                m.put("cores_used", w.medianCoresUsed());
                m.put("points_per_cpu_s", w.pointsPerCpuSecond(samples));
                m.put("startup_ms", w.startupMillis());
                m.put("cold_ms", w.coldMillis());
                m.put("wall_ms", w.wallMillis());
                m.put("points_per_s", samples / (w.medianComputeMillis() / 1e3));
                m.put("chunks_per_worker", w.chunksPerWorker());
                if (w == rows.get(rows.size() - 1) && rows.size() > 1) {
                    m.put("speed_up", speedUp());
                    m.put("wall_speed_up", wallSpeedUp());
                    m.put("target_speed_up", TARGET_SPEED_UP);
                }
                m.put("consistent", consistent);
                m.put("cores", cores);
                m.put("load_before", loadBefore);
                m.put("load_after", loadAfter);
                m.put("jvm_flags", workerJvmFlags);
            }
        }
    }

    /**
     * Runs the measure in this process (which hosts the driver, in a fresh Aeron directory) with a
     * pool per worker count.
     *
     * @param progress receives a line per estimate, for the console
     */
    public static Result run(Sizes sizes, Consumer<String> progress) {
        double loadBefore = loadAverage();
        long samplesPerChunk = sizes.samplesPerChunk();
        long samples = samplesPerChunk * sizes.chunks();
        int largest = sizes.workerCounts().get(sizes.workerCounts().size() - 1);
        try (ScratchAeronDir dir = ScratchAeronDir.forScale()) {
            Config config =
                    ConfigFactory.parseMap(
                                    Map.of(
                                            "troupe.remote.cluster-name",
                                            "scale-pi-" + ProcessHandle.current().pid(),
                                            "troupe.remote.node-name",
                                            ExampleCluster.MAIN_NODE,
                                            "troupe.remote.aeron-dir",
                                            dir.path().toString()),
                                    "scale pi harness")
                            .withFallback(ConfigFactory.load());
            ActorSystem<Estimator.Command> system =
                    ActorSystem.create(Estimator.create(), "pi-scaling", config);
            try {
                RemoteNode node = RemoteNode.get(system);
                node.register(Estimator.Command.class);
                node.register(PiWorker.Command.class);
                Estimates estimates =
                        new Estimates(system, sizes.chunks(), samplesPerChunk, progress);
                List<double[]> startups = new ArrayList<>();
                for (int n : sizes.workerCounts()) {
                    if (n == largest) {
                        break;
                    }
                    try (Pool pool = Pool.launch(system, n)) {
                        double cold =
                                estimates.run(pool.workers, "cold, fresh pool").elapsedNanos()
                                        / 1e6;
                        startups.add(new double[] {pool.startupMillis, cold});
                    }
                }
                try (Pool pool = Pool.launch(system, largest)) {
                    double cold =
                            estimates.run(pool.workers, "cold, fresh pool").elapsedNanos() / 1e6;
                    startups.add(new double[] {pool.startupMillis, cold});
                    List<List<Double>> computes = new ArrayList<>();
                    List<List<Double>> cores = new ArrayList<>();
                    List<List<Integer>> spreads = new ArrayList<>();
                    sizes.workerCounts()
                            .forEach(
                                    n -> {
                                        computes.add(new ArrayList<>());
                                        cores.add(new ArrayList<>());
                                        spreads.add(List.of());
                                    });
                    for (int r = 0; r < sizes.repeats(); r++) {
                        for (int i = 0; i < sizes.workerCounts().size(); i++) {
                            double cpuBefore = pool.cpuSeconds();
                            long start = System.nanoTime();
                            Estimator.Estimated e =
                                    estimates.run(
                                            pool.workers.subList(0, sizes.workerCounts().get(i)),
                                            "repeat " + (r + 1));
                            cores.get(i)
                                    .add(
                                            (pool.cpuSeconds() - cpuBefore)
                                                    / ((System.nanoTime() - start) / 1e9));
                            computes.get(i).add(e.elapsedNanos() / 1e6);
                            spreads.set(i, e.chunksPerWorker());
                        }
                    }
                    List<Workers> rows = new ArrayList<>();
                    for (int i = 0; i < sizes.workerCounts().size(); i++) {
                        rows.add(
                                new Workers(
                                        sizes.workerCounts().get(i),
                                        startups.get(i)[0],
                                        startups.get(i)[1],
                                        computes.get(i),
                                        cores.get(i),
                                        spreads.get(i)));
                    }
                    return new Result(
                            samples,
                            sizes.chunks(),
                            Runtime.getRuntime().availableProcessors(),
                            pool.jvmFlags,
                            rows,
                            estimates.consistent,
                            estimates.first.pi(),
                            loadBefore,
                            loadAverage());
                }
            } finally {
                system.terminate();
                try {
                    system.getWhenTerminated()
                            .toCompletableFuture()
                            .get(SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(
                            "The pi harness's actor system did not terminate within "
                                    + SHUTDOWN.toMillis()
                                    + " ms",
                            e);
                }
            }
        }
    }

    /** A pool of pi workers and how long it took to start. */
    private static final class Pool implements AutoCloseable {
        final ProcessPool pool;
        final List<ActorRef<PiWorker.Command>> workers;
        final double startupMillis;
        final List<String> jvmFlags;

        private Pool(
                ProcessPool pool,
                List<ActorRef<PiWorker.Command>> workers,
                double startupMillis,
                List<String> jvmFlags) {
            this.pool = pool;
            this.workers = workers;
            this.startupMillis = startupMillis;
            this.jvmFlags = jvmFlags;
        }

        static Pool launch(ActorSystem<?> system, int n) {
            PoolOptions options = ExampleCluster.workers(n, PiSetup.class);
            long start = System.nanoTime();
            ProcessPool pool = ProcessPool.launch(system, options);
            try {
                List<ActorRef<PiWorker.Command>> workers = pool.spawnOnEach(PiWorker.KIND);
                return new Pool(
                        pool, workers, (System.nanoTime() - start) / 1e6, options.jvmOptions());
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
        }

        /**
         * User and system CPU time of all the pool's worker processes so far, from {@code
         * /proc/PID/stat}; NaN if unreadable.
         */
        double cpuSeconds() {
            double total = 0;
            for (String w : pool.workerNames()) {
                total += cpuSeconds(pool.pid(w));
            }
            return total;
        }

        private static double cpuSeconds(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                // Fields after the command name (which may hold spaces, so cut at its closing
                // parenthesis):
                // state is field 3, utime 14 and stime 15, in clock ticks (USER_HZ, 100 on Linux).
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS_PER_SECOND;
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    /** Asks the estimator (the harness's guardian) for estimates and checks they all agree. */
    private static final class Estimates {
        final ActorSystem<Estimator.Command> estimator;
        final int chunks;
        final long samplesPerChunk;
        final Consumer<String> progress;
        Estimator.Estimated first;
        boolean consistent = true;

        Estimates(
                ActorSystem<Estimator.Command> estimator,
                int chunks,
                long samplesPerChunk,
                Consumer<String> progress) {
            this.estimator = estimator;
            this.chunks = chunks;
            this.samplesPerChunk = samplesPerChunk;
            this.progress = progress;
        }

        Estimator.Estimated run(List<ActorRef<PiWorker.Command>> workers, String label) {
            // Generous, as the example: 20 ns a point on one worker, plus slack for a loaded
            // machine.
            Duration timeout = Duration.ofSeconds(60).plusNanos(chunks * samplesPerChunk * 20);
            Estimator.Estimated e;
            try {
                e =
                        AskPattern.<Estimator.Command, Estimator.Estimated>ask(
                                        estimator,
                                        replyTo ->
                                                new Estimator.Estimate(
                                                        chunks, samplesPerChunk, workers, replyTo),
                                        timeout,
                                        estimator.scheduler())
                                .toCompletableFuture()
                                .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for a pi estimate", ex);
            } catch (Exception ex) {
                throw new IllegalStateException(
                        "A pi estimate on "
                                + workers.size()
                                + " worker(s) failed or took more than "
                                + timeout.toSeconds()
                                + " s: "
                                + ex,
                        ex);
            }
            if (first == null) {
                first = e;
            } else if (e.inside() != first.inside() || e.samples() != first.samples()) {
                consistent = false;
            }
            progress.accept(
                    String.format(
                            Locale.ROOT,
                            "%s %d worker(s), %s: %.0f ms, chunks per worker %s",
                            SCENARIO,
                            workers.size(),
                            label,
                            e.elapsedNanos() / 1e6,
                            e.chunksPerWorker()));
            return e;
        }
    }

    /** The 1-minute load average, or NaN where {@code /proc/loadavg} cannot be read. */
    static double loadAverage() {
        try {
            return Double.parseDouble(
                    Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
