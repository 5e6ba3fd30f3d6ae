package io.troupe.remote;

import java.time.Instant;

/**
 * One incarnation of a node of the cluster: a process run with a node name.
 *
 * <p>Thread safety: immutable.
 *
 * @param name the node's name ({@code troupe.remote.node-name})
 * @param incarnation unique per process run; a restarted process is a new incarnation
 * @param pid the operating-system process id
 * @param startedAt when that process run's node started
 */
public record Member(String name, long incarnation, long pid, Instant startedAt) {
    @Override
    public String toString() {
        return name + "@" + Long.toHexString(incarnation) + " (pid " + pid + ")";
    }
}
