package io.troupe.remote.internal;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * Logs at most one line per interval and says how many were suppressed in between, so a flood of
 * hostile frames cannot flood the log.
 *
 * <p>Thread safety: single-threaded (the transport thread).
 */
final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private long nextNanos;
    private long suppressed;

    RateLimitedLog(Logger log, Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    void warn(String format, Object a, Object b) {
        long now = System.nanoTime();
        if (now - nextNanos < 0) {
            suppressed++;
            return;
        }
        nextNanos = now + intervalNanos;
        if (suppressed > 0) {
            log.warn(
                    format + " (and {} more rejections in the last {} ms)",
                    a,
                    b,
                    suppressed,
                    intervalNanos / 1_000_000);
            suppressed = 0;
        } else {
            log.warn(format, a, b);
        }
    }
}
