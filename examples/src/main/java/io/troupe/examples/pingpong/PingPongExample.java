package io.troupe.examples.pingpong;

import akka.actor.typed.ActorRef;
import io.troupe.examples.Example;
import io.troupe.examples.ExampleCluster;
import io.troupe.examples.ExampleSystem;
import io.troupe.examples.Range;
import io.troupe.remote.ProcessPool;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ping-pong}: round trips between this process and a {@link Ponger} in a worker process,
 * first one ask at a time (latency percentiles), then with a window of tells in flight
 * (throughput).
 *
 * <p>Thread safety: as {@link Example}.
 */
@Command(
        name = "ping-pong",
        mixinStandardHelpOptions = true,
        description = {
            "Two processes: round-trip latency percentiles and throughput between actors over Aeron IPC.",
            "",
            "Starts one worker JVM, spawns a ponger actor there and asks it N times, one ask at a time,"
                    + " timing each round trip (an ask sends the ping, the ponger's pong completes it). Then"
                    + " a pinger actor in this process keeps a window of pings in flight with plain tells,"
                    + " which shows how many round trips per second the two processes sustain.",
            ""
        })
public final class PingPongExample implements Example {

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    @Spec CommandSpec spec;

    @Option(
            names = "--round-trips",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Round trips measured, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 100, max = 1_000_000)
    int roundTrips;

    @Option(
            names = "--warmup",
            paramLabel = "N",
            defaultValue = "2000",
            description =
                    "Round trips made first and not measured, while the JIT compiles the path,"
                            + " ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 0, max = 1_000_000)
    int warmup;

    @Option(
            names = "--window",
            paramLabel = "N",
            defaultValue = "64",
            description =
                    "Pings in flight at once in the throughput run, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 4096)
    int window;

    @Override
    public List<String> tourArguments() {
        return List.of("--round-trips", "3000", "--warmup", "1000");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "ping-pong: %,d round trips between an actor in this process and a"
                        + " ponger actor in a worker process, over Aeron IPC%n",
                roundTrips);
        out.flush();

        long[] nanos;
        Pinger.Finished pipelined;
        try (ExampleSystem actors = ExampleCluster.startMain("ping-pong");
                ProcessPool pool =
                        ExampleCluster.launch(
                                actors, ExampleCluster.workers(1, PingPongSetup.class), out)) {
            actors.register(Pinger.Command.class, Ponger.Command.class);
            ActorRef<Ponger.Command> ponger = pool.spawn("worker-1", Ponger.KIND);
            out.println("  spawned a ponger on worker-1: " + ponger.path());

            askRoundTrips(actors, ponger, warmup);
            out.printf(Locale.ROOT, "  warm-up: %,d round trips%n", warmup);
            out.flush();
            nanos = askRoundTrips(actors, ponger, roundTrips);
            printLatency(out, nanos);

            ActorRef<Pinger.Command> pinger = actors.spawn(Pinger.create(), "pinger");
            Duration deadline = Duration.ofSeconds(30 + roundTrips / 1_000);
            pipelined =
                    actors.<Pinger.Command, Pinger.Finished>ask(
                            pinger,
                            replyTo -> new Pinger.Run(roundTrips, window, ponger, replyTo),
                            deadline);
            out.printf(
                    Locale.ROOT,
                    "  tell, %d in flight:    %,d round trips in %.2f s = %,.0f round"
                            + " trips/s (%d pongs out of order)%n",
                    window,
                    pipelined.roundTrips(),
                    pipelined.elapsedNanos() / 1e9,
                    perSecond(pipelined.roundTrips(), pipelined.elapsedNanos()),
                    pipelined.outOfOrder());
            out.flush();
        }

        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        boolean ok = pipelined.outOfOrder() == 0 && pipelined.roundTrips() == roundTrips;
        out.printf(
                Locale.ROOT,
                "Result: %,d + %,d round trips answered%s; round trip p50 %s, p90 %s,"
                        + " p99 %s, max %s; %,.0f asks/s one at a time, %,.0f round trips/s with %d in flight%n",
                nanos.length,
                pipelined.roundTrips(),
                ok ? " in order" : " (FAILED: pongs out of order)",
                micros(percentile(sorted, 50)),
                micros(percentile(sorted, 90)),
                micros(percentile(sorted, 99)),
                micros(sorted[sorted.length - 1]),
                perSecond(nanos.length, Arrays.stream(nanos).sum()),
                perSecond(pipelined.roundTrips(), pipelined.elapsedNanos()),
                window);
        out.flush();
        return ok ? 0 : 1;
    }

    /**
     * Asks the ponger {@code n} times, one ask at a time, checking each pong's number.
     *
     * @return each round trip's time, in nanoseconds, in the order they were made
     */
    private static long[] askRoundTrips(
            ExampleSystem actors, ActorRef<Ponger.Command> ponger, int n) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long seq = i;
            long start = System.nanoTime();
            Ponger.Pong pong =
                    actors.<Ponger.Command, Ponger.Pong>ask(
                            ponger, replyTo -> new Ponger.Ping(seq, replyTo), ASK_TIMEOUT);
            nanos[i] = System.nanoTime() - start;
            if (pong.seq() != seq) {
                throw new IllegalStateException(
                        "ping " + seq + " was answered by pong " + pong.seq());
            }
        }
        return nanos;
    }

    private static void printLatency(PrintWriter out, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        long total = Arrays.stream(nanos).sum();
        out.printf(
                Locale.ROOT,
                "  ask, one at a time: %,d round trips in %.2f s = %,.0f round trips/s%n",
                nanos.length,
                total / 1e9,
                perSecond(nanos.length, total));
        out.printf(
                Locale.ROOT,
                "    round trip: p50 %s  p90 %s  p99 %s  max %s%n",
                micros(percentile(sorted, 50)),
                micros(percentile(sorted, 90)),
                micros(percentile(sorted, 99)),
                micros(sorted[sorted.length - 1]));
        out.flush();
    }

    /** The nearest-rank percentile of sorted values: the smallest value >= p% of them. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%,.0f µs", nanos / 1e3);
    }

    private static double perSecond(long count, long nanos) {
        return count / (nanos / 1e9);
    }
}
