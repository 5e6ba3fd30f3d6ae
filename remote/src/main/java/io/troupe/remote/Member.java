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
 * @param address the node's Akka Cluster (Artery) address, {@code akka://<cluster>@host:port}, when
 *     it is also a cluster member ({@code troupe.cluster.enabled}); "" otherwise. Its host tells
 *     which machine the node runs on; a pid is that machine's.
 */
public record Member(String name, long incarnation, long pid, Instant startedAt, String address) {
    public Member {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(startedAt, "startedAt");
        java.util.Objects.requireNonNull(address, "address");
    }

    /** A node that is not an Akka Cluster member (address ""). */
    public Member(String name, long incarnation, long pid, Instant startedAt) {
        this(name, incarnation, pid, startedAt, "");
    }

    /** The host of {@link #address} ("127.0.0.3"), or "" outside cluster mode. */
    public String host() {
        int at = address.indexOf('@');
        if (at < 0) {
            return "";
        }
        int colon = address.lastIndexOf(':');
        return colon > at ? address.substring(at + 1, colon) : address.substring(at + 1);
    }

    @Override
    public String toString() {
        return name
                + "@"
                + Long.toHexString(incarnation)
                + " (pid "
                + pid
                + (address.isEmpty() ? "" : " at " + host())
                + ")";
    }
}
