package io.troupe.remote.internal;

import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.IdleStrategy;

/**
 * Troupe's {@code backoff} idle strategy: after the last piece of work, spin a little, then yield
 * until a time window has passed, then park from {@code minParkNs} doubling to {@code maxParkNs}.
 *
 * <p>Why a time window rather than Agrona's counts of spins and yields: how long a yield takes
 * depends on whether another thread wants the core (on an idle core it returns in well under a
 * microsecond, on a busy one it gives away a time slice), so a count of yields covers ~20 µs on an
 * idle machine and milliseconds on a loaded one. A reply that comes within the window finds the
 * thread awake; after it, a park costs a wake-up (measured here: ~60-80 µs for a 1 µs park with
 * Linux's default timer slack, ~20 µs with the transport thread's 1 ns slack). A yield gives the
 * core to any runnable thread at once, so the window costs nothing another thread needs.
 *
 * <p>Thread safety: not thread-safe; one per agent thread.
 */
public final class WindowedBackoffIdleStrategy implements IdleStrategy {
    private static final int SPINS = 20;

    private final long windowNs;
    private final long minParkNs;
    private final long maxParkNs;
    private boolean idle;
    private long idleSinceNs;
    private int spins;
    private long parkNs;

    public WindowedBackoffIdleStrategy(long windowNs, long minParkNs, long maxParkNs) {
        if (windowNs < 0 || minParkNs <= 0 || maxParkNs < minParkNs) {
            throw new IllegalArgumentException(
                    "window "
                            + windowNs
                            + " ns, parks "
                            + minParkNs
                            + ".."
                            + maxParkNs
                            + " ns: the window must be >= 0 and 0 < min park <= max park");
        }
        this.windowNs = windowNs;
        this.minParkNs = minParkNs;
        this.maxParkNs = maxParkNs;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        if (!idle) {
            idle = true;
            idleSinceNs = System.nanoTime();
            spins = 0;
            parkNs = minParkNs;
        }
        if (spins < SPINS) {
            spins++;
            Thread.onSpinWait();
        } else if (System.nanoTime() - idleSinceNs < windowNs) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(parkNs);
            parkNs = Math.min(parkNs * 2, maxParkNs);
        }
    }

    @Override
    public void reset() {
        idle = false;
    }

    @Override
    public String alias() {
        return "troupe-backoff";
    }
}
