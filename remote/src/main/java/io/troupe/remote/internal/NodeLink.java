package io.troupe.remote.internal;

import akka.actor.Address;
import io.aeron.Publication;
import io.troupe.remote.Member;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One incarnation of another node, as this node knows it: who it is, the publication to its inbound
 * stream, and the messages waiting for that stream to accept them.
 *
 * <p>Ordering: a message goes straight to the publication only while nothing waits in {@link
 * #queue}; a record leaves the queue only after it was offered or dead-lettered. So a message never
 * overtakes an earlier one from the same sender.
 *
 * <p>State: a link is created up by {@link Links#add} and goes down once, for good, in {@link
 * Links#down}, the only caller of {@link #markDown}: the reason is set and the queue closed in that
 * one step, so a sender either sees the link down, or appends before the queue closed (and the
 * drain that follows dead-letters the record), or is refused by the closed queue and dead-letters
 * the message itself.
 *
 * <p>Stream: {@link #publication} is an exclusive publication, a log of its own in the media driver
 * that only this process writes. A log shared by every sender to a node would be blocked by any one
 * of them killed between claiming space and committing it, for every other sender, until the
 * driver's publication-unblock timeout (15 s) – longer than {@code heartbeat-timeout}. An exclusive
 * publication is not thread-safe: every offer holds {@link #offerLock}. A sender thread only tries
 * it and, if another thread offers at that moment, queues its message instead.
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
    final Member member;

    final Publication publication;

    /** Held around every offer to {@link #publication}, which takes one thread at a time. */
    final ReentrantLock offerLock = new ReentrantLock();

    private volatile String downReason; // null while up

    final OutboundQueue queue = new OutboundQueue();

    long lastHeartbeatNanos;

    NodeLink(
            String name,
            long incarnation,
            long pid,
            int streamId,
            long startedAtEpochMillis,
            String artery,
            Publication publication) {
        this.name = name;
        this.incarnation = incarnation;
        this.pid = pid;
        this.streamId = streamId;
        this.startedAtEpochMillis = startedAtEpochMillis;
        this.address = RemoteActorRef.address(name, incarnation, pid);
        this.member =
                new Member(
                        name, incarnation, pid, Instant.ofEpochMilli(startedAtEpochMillis), artery);
        this.publication = publication;
    }

    boolean isUp() {
        return downReason == null;
    }

    /** Why the link is down ("exited: its process 42 exited"), or null while it is up. */
    String downReason() {
        return downReason;
    }

    /** Only {@link Links#down}: marks the link down and closes its queue, in that order. */
    void markDown(String reason) {
        downReason = reason;
        queue.close();
    }

    @Override
    public String toString() {
        String reason = downReason;
        return name
                + "@"
                + Long.toHexString(incarnation)
                + " (pid "
                + pid
                + (reason == null ? ", up)" : ", down: " + reason + ")");
    }
}
