package io.troupe.remote.internal;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inbound frames this node refuses: counted (decode failures apart from other rejections) and
 * logged at most once a second, so a flood of hostile frames cannot flood the log.
 *
 * <p>Thread safety: transport thread only.
 */
final class Rejections {
    private static final Logger LOG = LoggerFactory.getLogger(Rejections.class);

    private final String node;
    private final NodeCounters counters;
    private final RateLimitedLog log = new RateLimitedLog(LOG, Duration.ofSeconds(1));

    Rejections(String node, NodeCounters counters) {
        this.node = node;
        this.counters = counters;
    }

    void reject(String what, boolean decodeFailure) {
        counters.increment(
                decodeFailure
                        ? NodeCounters.Kind.DECODE_FAILURES
                        : NodeCounters.Kind.REJECTED_FRAMES);
        log.warn("Node {} rejected {}", node, what);
    }
}
