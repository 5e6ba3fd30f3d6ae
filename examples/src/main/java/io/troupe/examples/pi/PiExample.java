package io.troupe.examples.pi;

import akka.actor.typed.ActorRef;
import io.troupe.examples.Example;
import io.troupe.examples.ExampleCluster;
import io.troupe.examples.ExampleSystem;
import io.troupe.examples.Range;
import io.troupe.remote.ProcessPool;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pi}: Monte Carlo π over a pool of worker processes, like Python's {@code
 * multiprocessing.Pool}. The same chunks run on one worker, then on all of them; the speed-up is
 * measured in the same run, and both runs must count exactly the same points.
 *
 * <p>Thread safety: as {@link Example}.
 */
@Command(
        name = "pi",
        mixinStandardHelpOptions = true,
        description = {
            "CPU-bound Monte Carlo pi over a pool of worker processes; prints the speed-up over one.",
            "",
            "Starts N worker JVMs with a pi-worker actor each. The samples are cut into chunks, each"
                    + " with its own seed; an estimator actor in this process hands them out, two at a time"
                    + " per worker, and adds up how many points fell inside the quarter circle. The same"
                    + " chunks run first on one worker, then on all N, so the speed-up is measured on this"
                    + " machine in this run, and both runs must count exactly the same points.",
            ""
        })
public final class PiExample implements Example {

    @Spec CommandSpec spec;

    @Option(
            names = "--workers",
            paramLabel = "N",
            defaultValue = "2",
            description = "Worker processes, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 16)
    int workers;

    @Option(
            names = "--samples",
            paramLabel = "MILLIONS",
            defaultValue = "400",
            description =
                    "Points thrown in each run, in millions, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 100_000)
    int millionSamples;

    @Option(
            names = "--chunks",
            paramLabel = "N",
            defaultValue = "40",
            description = "Chunks the points are cut into, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 100_000)
    int chunks;

    @Override
    public List<String> tourArguments() {
        return List.of("--workers", "2", "--samples", "120");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        long samplesPerChunk = Math.max(1, millionSamples * 1_000_000L / chunks);
        long samples = samplesPerChunk * chunks;
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf(
                Locale.ROOT,
                "pi: %,d random points in %d chunks, on 1 worker process, then on %d;"
                        + " this machine has %d cores%n",
                samples,
                chunks,
                workers,
                cores);
        out.flush();

        Estimator.Estimated one;
        Estimator.Estimated all;
        try (ExampleSystem actors = ExampleCluster.startMain("pi");
                ProcessPool pool =
                        ExampleCluster.launch(
                                actors, ExampleCluster.workers(workers, PiSetup.class), out)) {
            actors.register(Estimator.Command.class, PiWorker.Command.class);
            List<ActorRef<PiWorker.Command>> piWorkers = pool.spawnOnEach(PiWorker.KIND);
            ActorRef<Estimator.Command> estimator = actors.spawn(Estimator.create(), "estimator");

            // One chunk per worker first, so that every worker's JIT has compiled the loop before
            // the
            // clock runs; otherwise the first run would pay for warming up and flatter the second.
            estimate(actors, estimator, piWorkers.size(), samplesPerChunk, piWorkers);
            out.printf(
                    Locale.ROOT,
                    "  warmed up each worker with one chunk of %,d points%n",
                    samplesPerChunk);
            out.flush();

            one = estimate(actors, estimator, chunks, samplesPerChunk, piWorkers.subList(0, 1));
            print(out, "1 worker:", one);
            all = estimate(actors, estimator, chunks, samplesPerChunk, piWorkers);
            print(out, workers + " workers:", all);
        }

        double speedUp = (double) one.elapsedNanos() / all.elapsedNanos();
        boolean same = one.inside() == all.inside() && one.samples() == all.samples();
        out.printf(
                Locale.ROOT,
                "  both runs counted %s points inside the circle%s%n",
                same ? "exactly the same" : "DIFFERENT",
                same ? " (each chunk has its own seed)" : "");
        out.printf(
                Locale.ROOT,
                "Result: pi ~ %.6f (error %.1e) from %,d points; %d workers %.2fx as fast"
                        + " as 1 (ideal %dx on %d cores)%s%n",
                all.pi(),
                Math.abs(all.pi() - Math.PI),
                all.samples(),
                workers,
                speedUp,
                Math.min(workers, cores),
                cores,
                same ? "" : "; FAILED: the runs disagree");
        out.flush();
        return same ? 0 : 1;
    }

    private static Estimator.Estimated estimate(
            ExampleSystem actors,
            ActorRef<Estimator.Command> estimator,
            int chunks,
            long samplesPerChunk,
            List<ActorRef<PiWorker.Command>> workers) {
        // Generous: 20 ns a point on one worker, plus slack for a slow machine.
        Duration deadline = Duration.ofSeconds(30).plusNanos(chunks * samplesPerChunk * 20);
        return actors.<Estimator.Command, Estimator.Estimated>ask(
                estimator,
                replyTo -> new Estimator.Estimate(chunks, samplesPerChunk, workers, replyTo),
                deadline);
    }

    private static void print(PrintWriter out, String label, Estimator.Estimated e) {
        out.printf(
                Locale.ROOT,
                "  %-11s pi ~ %.6f in %,6d ms = %,5.0f M points/s  (chunks per worker: %s)%n",
                label,
                e.pi(),
                e.elapsedNanos() / 1_000_000,
                e.samples() / (e.elapsedNanos() / 1e3),
                e.chunksPerWorker());
        out.flush();
    }
}
