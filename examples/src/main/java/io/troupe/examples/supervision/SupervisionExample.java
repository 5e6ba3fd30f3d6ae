package io.troupe.examples.supervision;

import akka.actor.typed.ActorRef;
import io.troupe.examples.Example;
import io.troupe.examples.ExampleCluster;
import io.troupe.examples.ExampleSystem;
import io.troupe.examples.Range;
import io.troupe.remote.ProcessPool;
import io.troupe.remote.RestartPolicy;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code supervision}: a worker process is killed in the middle of a job; the pool restarts it, the
 * coordinator re-sends what the dead worker had not answered, and the job's answer is right.
 *
 * <p>Thread safety: as {@link Example}.
 */
@Command(
        name = "supervision",
        mixinStandardHelpOptions = true,
        description = {
            "A worker process is killed mid-job; the pool restarts it and the job still gets the right answer.",
            "",
            "A coordinator actor in this process sums the squares of 1..N in ranges, handed to squarer"
                    + " actors in worker processes, and watches them. Part-way through, the example kills"
                    + " worker-1 with SIGKILL (by the pid the pool started). The coordinator gets Terminated"
                    + " for the squarer there and puts its unanswered ranges back in the queue for the"
                    + " workers still alive; the pool, whose restart policy is on-failure, starts worker-1"
                    + " again, and the coordinator gives the new squarer work. The sum is checked against"
                    + " n(n+1)(2n+1)/6.",
            ""
        })
public final class SupervisionExample implements Example {

    static final String VICTIM = "worker-1";
    private static final RestartPolicy RESTART =
            RestartPolicy.onFailure(3, Duration.ofMillis(200), Duration.ofSeconds(2));
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RESTART_DEADLINE = Duration.ofSeconds(60);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    @Spec CommandSpec spec;

    @Option(
            names = "--n",
            paramLabel = "N",
            defaultValue = "1000000",
            description = "Sum the squares of 1..N, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1000, max = 2_000_000)
    int n;

    @Option(
            names = "--ranges",
            paramLabel = "N",
            defaultValue = "40",
            description = "Ranges the numbers are cut into, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 2, max = 1000)
    int ranges;

    @Option(
            names = "--millis-per-range",
            paramLabel = "MS",
            defaultValue = "100",
            description =
                    "How long a squarer takes per range, in milliseconds, ${RANGE}"
                            + " (default: ${DEFAULT-VALUE}).")
    @Range(min = 0, max = 10_000)
    int millisPerRange;

    @Option(
            names = "--workers",
            paramLabel = "N",
            defaultValue = "2",
            description = "Worker processes, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 8)
    int workers;

    @Option(
            names = "--kill-at",
            paramLabel = "PERCENT",
            defaultValue = "25",
            description =
                    "Kill worker-1 once this share of the ranges is done, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 0, max = 90)
    int killAtPercent;

    @Override
    public List<String> tourArguments() {
        return List.of("--ranges", "20");
    }

    @Override
    public boolean inTour() {
        return false;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        long expected = expectedSum(n);
        int killAtRanges = (int) Math.ceil(ranges * killAtPercent / 100.0);
        out.printf(
                Locale.ROOT,
                "supervision: sum of squares 1..%,d in %d ranges (%d ms each) over %d worker"
                        + " process%s; %s is killed when %d%% of the ranges are done%n",
                n,
                ranges,
                millisPerRange,
                workers,
                workers == 1 ? "" : "es",
                VICTIM,
                killAtPercent);
        out.flush();

        Coordinator.Done done;
        long killedPid;
        long newPid;
        int restarts;
        try (ExampleSystem actors = ExampleCluster.startMain("supervision");
                ProcessPool pool =
                        ExampleCluster.launch(
                                actors,
                                ExampleCluster.workers(workers, SupervisionSetup.class)
                                        .withRestart(RESTART),
                                out)) {
            actors.register(Coordinator.Command.class, Squarer.Command.class);
            out.printf(
                    Locale.ROOT,
                    "  restart policy: up to %d restarts per worker, backoff %d ms doubling"
                            + " to %d ms%n",
                    RESTART.maxRestarts(),
                    RESTART.minBackoff().toMillis(),
                    RESTART.maxBackoff().toMillis());
            Map<String, ActorRef<Squarer.Command>> squarers = new LinkedHashMap<>();
            for (String worker : pool.workerNames()) {
                squarers.put(worker, pool.spawn(worker, Squarer.KIND));
            }
            ActorRef<Coordinator.Command> coordinator =
                    actors.spawn(Coordinator.create(), "coordinator");
            pool.onRestart(worker -> coordinator.tell(new Coordinator.WorkerRestarted(worker)));

            Duration deadline = RESTART_DEADLINE.plusMillis((long) ranges * millisPerRange);
            CompletableFuture<Coordinator.Done> finished =
                    actors.<Coordinator.Command, Coordinator.Done>askAsync(
                                    coordinator,
                                    replyTo ->
                                            new Coordinator.Start(
                                                    n, ranges, millisPerRange, squarers, replyTo),
                                    deadline)
                            .toCompletableFuture();
            killedPid = -1;
            int eventsSeen = 0;
            boolean back = false;
            while (!finished.isDone()) {
                Coordinator.Progress progress = progress(actors, coordinator, eventsSeen);
                eventsSeen = print(out, progress, eventsSeen);
                back |= isBack(progress);
                if (killedPid < 0 && progress.rangesDone() >= killAtRanges) {
                    killedPid = pool.pid(VICTIM);
                    // Only the pid this pool started: never a process found by name.
                    ProcessHandle.of(killedPid).ifPresent(ProcessHandle::destroyForcibly);
                    coordinator.tell(
                            new Coordinator.Note(
                                    String.format(
                                            Locale.ROOT,
                                            "killed %s (pid %d) with"
                                                    + " SIGKILL, %d of %d ranges done",
                                            VICTIM,
                                            killedPid,
                                            progress.rangesDone(),
                                            ranges)));
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
            done = ExampleSystem.await(finished, deadline, "the job's result");
            if (killedPid < 0) {
                out.printf(
                        Locale.ROOT,
                        "Result: FAILED: the job ended before %s could be killed; give it more"
                                + " --ranges or --millis-per-range%n",
                        VICTIM);
                out.flush();
                return 1;
            }
            // The job may end before the restarted worker is back: the restart is part of the
            // story, so
            // wait for the new squarer there (printing what happens meanwhile).
            long restartDeadline = System.nanoTime() + RESTART_DEADLINE.toNanos();
            while (!back && System.nanoTime() < restartDeadline) {
                LockSupport.parkNanos(POLL_NANOS);
                Coordinator.Progress progress = progress(actors, coordinator, eventsSeen);
                eventsSeen = print(out, progress, eventsSeen);
                back = isBack(progress);
            }
            if (!back) {
                throw new IllegalStateException(
                        "Gave up waiting for a new squarer on "
                                + VICTIM
                                + " after "
                                + RESTART_DEADLINE.toMillis()
                                + " ms (restarts so far: "
                                + pool.restarts(VICTIM)
                                + ")");
            }
            print(out, progress(actors, coordinator, eventsSeen), eventsSeen); // the last events
            newPid = pool.pid(VICTIM);
            restarts = pool.restarts(VICTIM);
        }

        out.println("  ranges computed, by worker process:");
        done.rangesByWorker().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.printf(Locale.ROOT, "    %-26s %3d%n", e.getKey(), e.getValue()));
        boolean right = done.sum() == expected;
        out.printf(
                Locale.ROOT,
                "Result: sum of squares 1..%,d = %,d, expected %,d (n(n+1)(2n+1)/6): %s;"
                        + " %s killed (pid %d) and restarted %d time%s (now pid %d); %d range%s sent again%n",
                n,
                done.sum(),
                expected,
                right ? "correct" : "WRONG",
                VICTIM,
                killedPid,
                restarts,
                restarts == 1 ? "" : "s",
                newPid,
                done.resent(),
                done.resent() == 1 ? "" : "s");
        out.flush();
        return right && restarts >= 1 && newPid != killedPid ? 0 : 1;
    }

    /**
     * @return how far the job is, with the events after the first {@code seen}
     */
    private static Coordinator.Progress progress(
            ExampleSystem actors, ActorRef<Coordinator.Command> coordinator, int seen) {
        return actors.<Coordinator.Command, Coordinator.Progress>ask(
                coordinator, replyTo -> new Coordinator.GetProgress(seen, replyTo), ASK_TIMEOUT);
    }

    /**
     * @return whether the coordinator has put a squarer on the restarted victim to work
     */
    private static boolean isBack(Coordinator.Progress progress) {
        return progress.newEvents().stream()
                .anyMatch(e -> e.contains("a new squarer on " + VICTIM + " is ready"));
    }

    /** Prints the new events; returns how many events have been printed in all. */
    private static int print(PrintWriter out, Coordinator.Progress progress, int seen) {
        progress.newEvents().forEach(e -> out.println("  " + e));
        out.flush();
        return seen + progress.newEvents().size();
    }

    /** {@code n(n+1)(2n+1)/6}, exactly. */
    static long expectedSum(long n) {
        BigInteger big = BigInteger.valueOf(n);
        return big.multiply(big.add(BigInteger.ONE))
                .multiply(big.shiftLeft(1).add(BigInteger.ONE))
                .divide(BigInteger.valueOf(6))
                .longValueExact();
    }
}
