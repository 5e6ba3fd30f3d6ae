package io.troupe.benchmarks.scenarios;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Linux's timer slack of the calling thread: how late the kernel may wake a thread from a timed
 * sleep such as {@code LockSupport.parkNanos}, 50 µs by default. Agrona's {@code
 * BackoffIdleStrategy} parks for 1 µs and up once its few spins and yields are spent, and with the
 * default slack each such park lasts some 50-80 µs, which is what a message arriving then waits.
 * Threads inherit the slack of the thread that starts them, so setting it on the main thread before
 * anything starts covers the transport, driver and dispatcher threads.
 *
 * <p>An experiment switch ({@code remote --timer-slack-ns}), not something Troupe does; a thread
 * may change its own slack without privileges.
 *
 * <p>Thread safety: affects only the calling thread and the threads it starts afterwards.
 */
final class TimerSlack {
    /** The system property a peer reads at start-up to do the same. */
    static final String PROPERTY = "troupe.bench.timer-slack-ns";

    private TimerSlack() {}

    /**
     * Sets the calling thread's timer slack; fails with the reason where the OS refuses or has no
     * such file.
     */
    static void setForCurrentThread(long nanos) {
        if (nanos < 1) {
            throw new IllegalArgumentException("Timer slack must be at least 1 ns, not " + nanos);
        }
        try {
            String tid =
                    Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            Files.writeString(Path.of("/proc", tid, "timerslack_ns"), Long.toString(nanos));
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException(
                    "Cannot set this thread's timer slack to "
                            + nanos
                            + " ns (Linux only, through"
                            + " /proc/<tid>/timerslack_ns): "
                            + e,
                    e);
        }
    }

    /** Applies {@link #PROPERTY} to the calling thread if it is set. */
    static void applyProperty() {
        String value = System.getProperty(PROPERTY);
        if (value != null) {
            setForCurrentThread(Long.parseLong(value));
        }
    }
}
