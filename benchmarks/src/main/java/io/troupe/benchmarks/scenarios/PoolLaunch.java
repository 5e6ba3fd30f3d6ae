package io.troupe.benchmarks.scenarios;

import akka.actor.typed.ActorSystem;
import io.troupe.benchmarks.report.RemoteTable;
import io.troupe.remote.PoolOptions;
import io.troupe.remote.ProcessPool;
import java.util.ArrayList;
import java.util.List;

/**
 * How long {@code ProcessPool.launch} takes for 1, 2 and 4 workers: from the call until it returns,
 * which it does only when every worker JVM has started, run its setup and joined.
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
    private PoolLaunch() {}

    static List<RemoteTable.PoolLaunch> run(Run run) {
        List<RemoteTable.PoolLaunch> rows = new ArrayList<>();
        try (ScratchAeronDir dir = new ScratchAeronDir()) {
            ActorSystem<Void> actors =
                    TroupeNodes.startParent("bench-parent", dir.path(), "backoff", "bench-parent");
            try {
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
                                "%s %d worker(s): %.0f ms",
                                RemoteTable.LAUNCH, n, samples.get(samples.size() - 1));
                    }
                    rows.add(new RemoteTable.PoolLaunch(n, samples));
                }
            } finally {
                TroupeNodes.stop(actors);
            }
        }
        return rows;
    }
}
