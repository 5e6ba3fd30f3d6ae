package io.troupe.benchmarks.scenarios;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import io.troupe.benchmarks.jmh.Payload;
import io.troupe.benchmarks.report.RemoteTable;
import io.troupe.remote.PoolOptions;
import io.troupe.remote.ProcessPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How long after a worker process is SIGKILLed a watcher in the parent gets {@code Terminated}.
 *
 * <pre>
 *   parent process (harness, hosts the driver)          worker process (ProcessPool)
 *   watcher actor ──context.watch──▶ remote ref ───────▶ Echo actor
 *   harness ──SIGKILL (by pid)──────────────────────────▶ ✕
 *   watcher actor ◀── Terminated  (t = this instant − the kill's)
 * </pre>
 *
 * Each sample launches a fresh pool of one worker (default settings, default idle strategy), spawns
 * an {@link Echo} there, proves it answers, has a new watcher actor watch it, then kills the
 * worker's process by its pid and takes the time until the watcher's {@code Terminated} handler
 * runs. Troupe notices a killed process through the pid every node announces.
 *
 * <p>Thread safety: runs on the harness thread; each watcher completes its futures from its own
 * dispatcher thread.
 */
final class KillToTerminated {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private KillToTerminated() {}

    static RemoteTable.KillToTerminated run(Run run) {
        List<Double> samples = new ArrayList<>();
        try (ScratchAeronDir dir = new ScratchAeronDir()) {
            ActorSystem<Void> actors =
                    TroupeNodes.startParent("bench-parent", dir.path(), "backoff", "bench-parent");
            try {
                for (int k = 1; k <= run.sizes().kills(); k++) {
                    double ms = sample(actors, k);
                    samples.add(ms);
                    run.progress("%s sample %d: %.1f ms", RemoteTable.KILL, k, ms);
                }
            } finally {
                TroupeNodes.stop(actors);
            }
        }
        return new RemoteTable.KillToTerminated(samples);
    }

    private static double sample(ActorSystem<Void> actors, int k) {
        try (ProcessPool pool =
                ProcessPool.launch(
                        actors,
                        PoolOptions.workers(1)
                                .withNamePrefix("victim")
                                .withWorkerSetup(Echo.Kinds.class))) {
            String worker = pool.workerNames().get(0);
            ActorRef<Echo.Command> echo = pool.spawn(worker, Echo.KIND);
            Payload.Small body = Sequenced.small(k);
            Payload.Small answer =
                    TroupeNodes.await(
                            AskPattern.ask(
                                    echo,
                                    (ActorRef<Payload.Small> r) -> new Echo.Ping(body, r),
                                    WAIT,
                                    actors.scheduler()),
                            WAIT,
                            "The victim's echo");
            if (!answer.equals(body)) {
                throw new IllegalStateException("The victim answered " + answer + " to " + body);
            }
            CompletableFuture<Void> watching = new CompletableFuture<>();
            CompletableFuture<Long> terminatedAt = new CompletableFuture<>();
            actors.systemActorOf(
                    watcher(echo, watching, terminatedAt), "kill-watcher-" + k, Props.empty());
            TroupeNodes.await(watching, WAIT, "The watcher's watch");

            ProcessHandle victim =
                    ProcessHandle.of(pool.pid(worker))
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    "Worker "
                                                            + worker
                                                            + " is gone before it was killed"));
            long killedAt = System.nanoTime();
            if (!victim.destroyForcibly()) {
                throw new IllegalStateException(
                        "SIGKILL of worker " + worker + " (pid " + victim.pid() + ") was refused");
            }
            long terminated =
                    TroupeNodes.await(
                            terminatedAt, WAIT, "Terminated after SIGKILL of pid " + victim.pid());
            TroupeNodes.await(victim.onExit(), WAIT, "The exit of pid " + victim.pid());
            return (terminated - killedAt) / 1e6;
        }
    }

    /** Watches {@code target}, says so, and takes the time of its {@code Terminated}. */
    private static Behavior<Void> watcher(
            ActorRef<?> target,
            CompletableFuture<Void> watching,
            CompletableFuture<Long> terminatedAt) {
        return Behaviors.setup(
                ctx -> {
                    ctx.watch(target);
                    watching.complete(null);
                    return Behaviors.receive(Void.class)
                            .onSignal(
                                    Terminated.class,
                                    t -> {
                                        terminatedAt.complete(System.nanoTime());
                                        return Behaviors.stopped();
                                    })
                            .build();
                });
    }
}
