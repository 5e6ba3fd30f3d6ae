package io.troupe.remote.internal;

import akka.actor.Address;
import io.aeron.Publication;

/**
 * One incarnation of another node, as this node knows it: who it is, the publication to its inbound
 * stream, and the messages waiting for that stream to accept them.
 *
 * <p>Ordering: a message goes straight to the publication only while nothing waits in {@link
 * #queue}; a record leaves the queue only after it was offered or dead-lettered. So a message never
 * overtakes an earlier one from the same sender.
 *
 * <p>Thread safety: the identity fields are final; {@link #publication} and {@link #downReason} are
 * written by the transport thread and read by any sender; {@link #queue} is a multi-producer queue
 * drained only by the transport thread; {@link #lastHeartbeatNanos} is transport-thread only.
 */
final class NodeLink {
    final String name;
    final long incarnation;
    final long pid;
    final int streamId;
    final long startedAtEpochMillis;
    final Address address;

    volatile Publication publication;
    volatile String downReason; // null while up

    final OutboundQueue queue = new OutboundQueue();

    long lastHeartbeatNanos;

    NodeLink(String name, long incarnation, long pid, int streamId, long startedAtEpochMillis) {
        this.name = name;
        this.incarnation = incarnation;
        this.pid = pid;
        this.streamId = streamId;
        this.startedAtEpochMillis = startedAtEpochMillis;
        this.address = RemoteActorRef.address(name, incarnation, pid);
    }

    boolean isUp() {
        return downReason == null;
    }

    @Override
    public String toString() {
        return name
                + "@"
                + Long.toHexString(incarnation)
                + " (pid "
                + pid
                + (isUp() ? ", up)" : ", down: " + downReason + ")");
    }
}
