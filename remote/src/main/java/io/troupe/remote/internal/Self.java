package io.troupe.remote.internal;

import io.troupe.remote.Member;
import java.time.Instant;

/**
 * Who this node is: its cluster, name, incarnation and inbound stream. Fixed for the life of a
 * node.
 *
 * <p>Thread safety: immutable.
 *
 * @param cluster the cluster name ({@code troupe.remote.cluster-name})
 * @param name the node name ({@code troupe.remote.node-name})
 * @param incarnation this process run's random, positive incarnation of the name
 * @param streamId this incarnation's inbound stream id ({@link Wire#inboundStreamId})
 * @param pid this process's id
 * @param startedAtMillis when the node started, epoch milliseconds
 * @param artery this node's Artery address when it is also an Akka Cluster member
 *     (troupe.cluster.enabled), else ""
 */
record Self(
        String cluster,
        String name,
        long incarnation,
        int streamId,
        long pid,
        long startedAtMillis,
        String artery) {

    /** The 16-bit tag of the cluster that every frame carries ({@link Wire#clusterTag}). */
    short clusterTag() {
        return Wire.clusterTag(cluster);
    }

    Member member() {
        return new Member(name, incarnation, pid, Instant.ofEpochMilli(startedAtMillis), artery);
    }

    @Override
    public String toString() {
        return "node '" + name + "' of cluster '" + cluster + "'";
    }
}
