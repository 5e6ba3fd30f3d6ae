package io.troupe.remote.monitor;

import java.util.Map;
import java.util.Objects;

/**
 * One node's counters at one moment, by counter name ({@code msgs-sent}, {@code bytes-received},
 * {@code dead-letters.node-down}, ...). Counters of several processes that used the same node name
 * (a restarted node whose predecessor's counters the driver has not yet reclaimed) are summed.
 *
 * <p>Thread safety: immutable.
 *
 * @param node the node's name
 * @param counters counter name to value, in the order the node allocated them
 */
public record NodeSample(String node, Map<String, Long> counters) {
    public NodeSample {
        Objects.requireNonNull(node, "node");
        counters = Map.copyOf(counters);
    }

    /** The counter's value, 0 when the node has no counter of that name. */
    public long get(String counter) {
        return counters.getOrDefault(counter, 0L);
    }
}
