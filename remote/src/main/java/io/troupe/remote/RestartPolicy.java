package io.troupe.remote;

import java.time.Duration;

/**
 * What a {@link ProcessPool} does when a worker process dies: nothing, or start it again under the
 * same name (a new incarnation) after a backoff that doubles from {@code minBackoff} to {@code
 * maxBackoff}, at most {@code maxRestarts} times per worker.
 *
 * <p>Thread safety: immutable.
 */
public record RestartPolicy(int maxRestarts, Duration minBackoff, Duration maxBackoff) {
    public RestartPolicy {
        if (maxRestarts < 0) {
            throw new RemoteException(
                    "RestartPolicy maxRestarts = " + maxRestarts + " must be >= 0");
        }
        if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new RemoteException(
                    "RestartPolicy backoff "
                            + minBackoff
                            + ".."
                            + maxBackoff
                            + " must satisfy 0 <= min <= max");
        }
    }

    /** Dead workers stay dead. */
    public static RestartPolicy never() {
        return new RestartPolicy(0, Duration.ZERO, Duration.ZERO);
    }

    public static RestartPolicy onFailure(
            int maxRestarts, Duration minBackoff, Duration maxBackoff) {
        return new RestartPolicy(maxRestarts, minBackoff, maxBackoff);
    }

    boolean restarts() {
        return maxRestarts > 0;
    }

    Duration backoff(int restartsSoFar) {
        long ms = minBackoff.toMillis() << Math.min(20, restartsSoFar);
        return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }
}
