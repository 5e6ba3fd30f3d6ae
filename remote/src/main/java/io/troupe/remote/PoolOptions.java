package io.troupe.remote;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link ProcessPool} starts its workers.
 *
 * <p>Thread safety: immutable; the {@code withXxx} methods return copies.
 *
 * @param workers how many worker JVMs (1..64)
 * @param namePrefix worker node names are {@code <prefix>-1 .. <prefix>-N}
 * @param workerSetup the {@link WorkerSetup} class each worker runs before it joins, or null
 * @param jvmOptions extra options for the worker JVMs (e.g. {@code -Xmx256m}); the Aeron {@code
 *     --add-exports} flag and the cluster settings are always added
 * @param restart what happens when a worker dies
 * @param joinTimeout how long launching waits for every worker to join
 * @param echoOutput log every output line of the workers at INFO, through the SLF4J logger {@code
 *     io.troupe.remote.worker.<worker name>}
 */
public record PoolOptions(
        int workers,
        String namePrefix,
        Class<? extends WorkerSetup> workerSetup,
        List<String> jvmOptions,
        RestartPolicy restart,
        Duration joinTimeout,
        boolean echoOutput) {
    public PoolOptions {
        if (workers < 1 || workers > 64) {
            throw new RemoteException("A process pool needs 1 to 64 workers, not " + workers);
        }
        Objects.requireNonNull(namePrefix, "namePrefix");
        jvmOptions = List.copyOf(jvmOptions);
        Objects.requireNonNull(restart, "restart");
        if (joinTimeout.isNegative() || joinTimeout.isZero()) {
            throw new RemoteException(
                    "PoolOptions joinTimeout = " + joinTimeout + " must be positive");
        }
    }

    /** {@code n} workers named worker-1..n, no setup, never restarted, 60 s to join. */
    public static PoolOptions workers(int n) {
        return new PoolOptions(
                n, "worker", null, List.of(), RestartPolicy.never(), Duration.ofSeconds(60), false);
    }

    public PoolOptions withWorkerSetup(Class<? extends WorkerSetup> setup) {
        return new PoolOptions(
                workers, namePrefix, setup, jvmOptions, restart, joinTimeout, echoOutput);
    }

    public PoolOptions withNamePrefix(String prefix) {
        return new PoolOptions(
                workers, prefix, workerSetup, jvmOptions, restart, joinTimeout, echoOutput);
    }

    public PoolOptions withJvmOptions(List<String> options) {
        return new PoolOptions(
                workers, namePrefix, workerSetup, options, restart, joinTimeout, echoOutput);
    }

    public PoolOptions withRestart(RestartPolicy policy) {
        return new PoolOptions(
                workers, namePrefix, workerSetup, jvmOptions, policy, joinTimeout, echoOutput);
    }

    public PoolOptions withJoinTimeout(Duration timeout) {
        return new PoolOptions(
                workers, namePrefix, workerSetup, jvmOptions, restart, timeout, echoOutput);
    }

    public PoolOptions withEchoOutput(boolean echo) {
        return new PoolOptions(
                workers, namePrefix, workerSetup, jvmOptions, restart, joinTimeout, echo);
    }
}
