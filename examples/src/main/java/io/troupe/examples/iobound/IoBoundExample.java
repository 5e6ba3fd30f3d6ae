package io.troupe.examples.iobound;

import akka.actor.typed.ActorRef;
import io.troupe.core.dispatch.DispatcherPreset;
import io.troupe.examples.Example;
import io.troupe.examples.ExampleSystem;
import io.troupe.examples.Range;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code io-bound}: the same batch of blocking calls on Akka's default dispatcher, on Troupe's
 * {@code BLOCKING_IO} preset and on its {@code VIRTUAL_THREADS} preset, with the time each took and
 * how long an unrelated actor on the default dispatcher took to answer meanwhile.
 *
 * <p>Thread safety: as {@link Example}.
 */
@Command(
        name = "io-bound",
        mixinStandardHelpOptions = true,
        description = {
            "Blocking calls on the default dispatcher vs the BLOCKING_IO and VIRTUAL_THREADS presets.",
            "",
            "One actor per call makes a blocking call (a sleep standing in for a network round trip)."
                    + " The batch runs three times: on Akka's default dispatcher, sized for CPU work; on"
                    + " Troupe's BLOCKING_IO preset; and on its VIRTUAL_THREADS preset (virtual threads on"
                    + " Java 21+, a pool of platform threads before). Meanwhile an unrelated actor on the"
                    + " default dispatcher is pinged, to show what blocking there does to everyone else.",
            ""
        })
public final class IoBoundExample implements Example {

    private static final Duration PING_TIMEOUT = Duration.ofSeconds(30);
    private static final long PING_INTERVAL_NANOS = 5_000_000;

    @Spec CommandSpec spec;

    @Option(
            names = "--calls",
            paramLabel = "N",
            defaultValue = "200",
            description = "Blocking calls per run, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 2000)
    int calls;

    @Option(
            names = "--latency-millis",
            paramLabel = "MS",
            defaultValue = "50",
            description =
                    "How long each call blocks, in milliseconds, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 1000)
    int latencyMillis;

    @Override
    public List<String> tourArguments() {
        return List.of("--calls", "200", "--latency-millis", "50");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "io-bound: %d blocking calls of %d ms each (a sleep standing in for a"
                        + " network call), one actor per call%n",
                calls,
                latencyMillis);
        out.flush();

        List<Batch.Finished> results = new ArrayList<>();
        try (ExampleSystem actors = ExampleSystem.start("io-bound")) {
            actors.register(Batch.Command.class, Fetcher.Command.class, Echo.Command.class);
            ActorRef<Echo.Command> echo = actors.spawn(Echo.create(), "echo");
            for (Pool pool : Pool.values()) {
                results.add(runBatch(out, actors, echo, pool));
            }
        }

        explain(out, results.get(0).threads());
        int completed = results.stream().mapToInt(Batch.Finished::calls).sum();
        double base = results.get(0).elapsed().toNanos();
        out.printf(
                Locale.ROOT,
                "Result: %d of %d calls completed; BLOCKING_IO %.1fx and VIRTUAL_THREADS"
                        + " %.1fx as fast as the default dispatcher%n",
                completed,
                calls * results.size(),
                base / results.get(1).elapsed().toNanos(),
                base / results.get(2).elapsed().toNanos());
        out.flush();
        return completed == calls * results.size() ? 0 : 1;
    }

    /** Runs one batch on {@code pool}, pinging {@code echo} until it finishes. */
    private Batch.Finished runBatch(
            PrintWriter out, ExampleSystem actors, ActorRef<Echo.Command> echo, Pool pool) {
        // Worst case: every call one after another, plus start-up.
        Duration deadline = Duration.ofMillis((long) calls * latencyMillis + 10_000);
        ActorRef<Batch.Command> batch =
                actors.spawn(Batch.create(), "batch-" + pool.name().toLowerCase(Locale.ROOT));
        CompletableFuture<Batch.Finished> finished =
                actors.<Batch.Command, Batch.Finished>askAsync(
                                batch,
                                replyTo ->
                                        new Batch.Run(
                                                calls,
                                                Duration.ofMillis(latencyMillis),
                                                pool,
                                                replyTo),
                                deadline)
                        .toCompletableFuture();
        long worstPingNanos = 0;
        while (!finished.isDone()) {
            long sent = System.nanoTime();
            actors.<Echo.Command, Echo.Pong>ask(echo, Echo.Ping::new, PING_TIMEOUT);
            worstPingNanos = Math.max(worstPingNanos, System.nanoTime() - sent);
            LockSupport.parkNanos(PING_INTERVAL_NANOS);
        }
        Batch.Finished result =
                ExampleSystem.await(finished, deadline, "the " + pool.label() + " batch");
        long ideal = (long) Math.ceil((double) calls / result.threads()) * latencyMillis;
        out.printf(
                Locale.ROOT,
                "  %-23s %,7d ms on %4d threads (ideal %,7d ms)  %d/%d done  worst ping"
                        + " to an actor on the default dispatcher meanwhile: %,d ms%n",
                pool.label(),
                result.elapsed().toMillis(),
                result.threads(),
                ideal,
                result.calls(),
                calls,
                worstPingNanos / 1_000_000);
        out.flush();
        return result;
    }

    private static void explain(PrintWriter out, int defaultThreads) {
        out.println(
                "Why: a thread blocked in a call waits without using a core, so blocking work goes as"
                        + " fast as there are threads to wait in, not cores.");
        out.printf(
                Locale.ROOT,
                "  The default dispatcher has %d threads, sized for CPU work; blocking them"
                        + " also stalls every other actor on it (see the pings).%n",
                defaultThreads);
        out.println(
                "  BLOCKING_IO gives blocking calls their own pool of 32 threads, and the rest of the"
                        + " system stays responsive.");
        if (DispatcherPreset.virtualThreadsAvailable()) {
            out.println(
                    "  VIRTUAL_THREADS gives every call its own virtual thread: thousands can wait at"
                            + " once for the cost of a few carrier threads.");
        } else {
            out.printf(
                    Locale.ROOT,
                    "  VIRTUAL_THREADS would give every call its own virtual thread, but"
                            + " this is Java %d (virtual threads need 21+), so it fell back to a pool of platform"
                            + " threads and matches BLOCKING_IO.%n",
                    Runtime.version().feature());
        }
    }
}
