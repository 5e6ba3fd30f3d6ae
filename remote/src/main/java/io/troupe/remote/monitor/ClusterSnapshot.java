package io.troupe.remote.monitor;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A cluster's nodes and driver at one moment.
 *
 * <p>Thread safety: immutable.
 *
 * @param aeronDir the cluster's Aeron directory
 * @param nanoTime {@link System#nanoTime()} when it was taken, to compute rates between two
 * @param driver the driver's health
 * @param nodes every node with counters in the driver's file, sorted by name
 */
public record ClusterSnapshot(
        Path aeronDir, long nanoTime, DriverHealth driver, List<NodeSample> nodes) {
    public ClusterSnapshot {
        Objects.requireNonNull(aeronDir, "aeronDir");
        Objects.requireNonNull(driver, "driver");
        nodes = List.copyOf(nodes);
    }

    /** The node of that name, if it has counters here. */
    public Optional<NodeSample> node(String name) {
        return nodes.stream().filter(n -> n.node().equals(name)).findFirst();
    }
}
