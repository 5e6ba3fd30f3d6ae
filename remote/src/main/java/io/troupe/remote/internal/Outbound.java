package io.troupe.remote.internal;

import akka.actor.ActorRef;
import io.aeron.Publication;
import io.troupe.core.codec.CodecException;
import io.troupe.core.codec.EncodedSink;
import io.troupe.core.codec.MessageCodec;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The send path. A message is encoded on the sender's thread and, when its peer's stream has room
 * and nothing waits before it, offered there directly: no thread hand-off, one copy into the Aeron
 * log. Otherwise (back-pressure, a publication not yet connected, a message too large for one Aeron
 * message) its bytes wait in the link's {@link OutboundQueue} and the transport thread offers them:
 * many small ones per {@link Wire#BATCH} frame, a large one in chunks, until {@code
 * back-pressure-timeout}; what still cannot go then goes to dead letters with the reason. Nothing
 * here blocks or sleeps. Each link's stream is an exclusive publication: every offer holds the
 * link's {@link NodeLink#offerLock}, which a sender thread only tries (see {@link NodeLink}).
 *
 * <p>Thread safety: {@link #send} from any thread; {@link #drain} and {@link #failAll} from the
 * transport thread only.
 */
final class Outbound {
    /**
     * Per-thread scratch for the direct path: header buffer, payload view, and the sink's
     * arguments.
     */
    private final class SendContext implements EncodedSink<Void> {
        final UnsafeBuffer header = new UnsafeBuffer(new byte[Wire.HEADER_LENGTH]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[0]);
        NodeLink link;
        byte type;
        int exportId;
        Object message;
        ActorRef sender;
        ActorRef recipient;

        @Override
        public Void accept(byte[] buf, int off, int len) {
            NodeLink l = link;
            Publication pub = l.publication;
            if (pub != null
                    && l.queue.isEmpty()
                    && len + Wire.HEADER_LENGTH <= pub.maxMessageLength()
                    && l.offerLock.tryLock()) {
                Wire.writeHeader(header, type, clusterTag, exportId, incarnation, l.incarnation);
                payload.wrap(buf, off, len);
                long result;
                try {
                    result = pub.offer(header, 0, Wire.HEADER_LENGTH, payload, 0, len);
                } finally {
                    l.offerLock.unlock();
                }
                if (result > 0) {
                    counters.increment(NodeCounters.Kind.MESSAGES_SENT);
                    counters.add(NodeCounters.Kind.BYTES_SENT, len + Wire.HEADER_LENGTH);
                    return null;
                }
                if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                    deadLetters.drop(
                            message,
                            NodeCounters.Kind.DEAD_LETTERS_STREAM_CLOSED,
                            "the stream to node "
                                    + l.name
                                    + " is closed ("
                                    + offerResult(result)
                                    + ")",
                            sender,
                            recipient);
                    return null;
                }
                if (result == Publication.BACK_PRESSURED) {
                    counters.increment(NodeCounters.Kind.BACK_PRESSURE_EVENTS);
                }
            }
            OutboundQueue.Append appended =
                    l.queue.append(
                            type,
                            exportId,
                            buf,
                            off,
                            len,
                            sender,
                            recipient,
                            System.nanoTime(),
                            maxQueueBytes);
            if (appended == OutboundQueue.Append.CLOSED) {
                deadLetters.drop(
                        message,
                        NodeCounters.Kind.DEAD_LETTERS_NODE_DOWN,
                        downReason(l),
                        sender,
                        recipient);
            } else if (appended == OutboundQueue.Append.FULL) {
                deadLetters.drop(
                        message,
                        NodeCounters.Kind.DEAD_LETTERS_QUEUE_FULL,
                        "the outbound queue to node "
                                + l.name
                                + " is full ("
                                + l.queue.waitingBytes()
                                + " bytes of messages wait under back-pressure, limit troupe.remote.outbound-queue-bytes = "
                                + maxQueueBytes
                                + "): the receiver is slower than its senders",
                        sender,
                        recipient);
            }
            return null;
        }
    }

    private final MessageCodec codec;
    private final long incarnation;
    private final short clusterTag;
    private final NodeCounters counters;
    private final DeadLetters deadLetters;
    private final Refusals refusals;
    private final long backPressureTimeoutNanos;
    private final Duration backPressureTimeout;
    private final long maxQueueBytes;
    private final AtomicLong messageIds = new AtomicLong();
    private final ThreadLocal<SendContext> contexts = ThreadLocal.withInitial(SendContext::new);
    private final UnsafeBuffer agentHeader =
            new UnsafeBuffer(new byte[Wire.HEADER_LENGTH + Wire.CHUNK_HEADER_LENGTH]);
    private final UnsafeBuffer agentPayload = new UnsafeBuffer(new byte[0]);

    Outbound(
            MessageCodec codec,
            Self self,
            NodeCounters counters,
            DeadLetters deadLetters,
            Refusals refusals,
            Duration backPressureTimeout,
            long maxQueueBytes) {
        this.maxQueueBytes = maxQueueBytes;
        this.codec = codec;
        this.incarnation = self.incarnation();
        this.clusterTag = self.clusterTag();
        this.counters = counters;
        this.deadLetters = deadLetters;
        this.refusals = refusals;
        this.backPressureTimeout = backPressureTimeout;
        this.backPressureTimeoutNanos = backPressureTimeout.toNanos();
    }

    /**
     * Encodes {@code message} and sends it to {@code exportId} on {@code link}'s node. A message
     * the codec refuses (unregistered, mutable, over a limit) goes to {@link Refusals}.
     *
     * @throws CodecException only with {@code troupe.remote.unsendable = "throw"}
     */
    void send(
            NodeLink link,
            byte type,
            int exportId,
            Object message,
            ActorRef sender,
            ActorRef recipient) {
        if (!link.isUp()) {
            deadLetters.drop(
                    message,
                    NodeCounters.Kind.DEAD_LETTERS_NODE_DOWN,
                    downReason(link),
                    sender,
                    recipient);
            return;
        }
        SendContext c = contexts.get();
        if (c.link != null) {
            // Re-entrant send on this thread (from inside an encode): use a fresh context.
            c = new SendContext();
        }
        c.link = link;
        c.type = type;
        c.exportId = exportId;
        c.message = message;
        c.sender = sender;
        c.recipient = recipient;
        try {
            codec.encode(message, c);
        } catch (CodecException e) {
            refusals.refuse(message, e, sender, recipient);
        } finally {
            c.link = null;
            c.message = null;
            c.sender = null;
            c.recipient = null;
        }
    }

    /**
     * Offers what waits on {@code link}, in order, until its stream pushes back; then dead-letters
     * what has waited longer than {@code back-pressure-timeout} (at most {@link
     * #MAX_EXPIRIES_PER_DRAIN} per call, so expiring a long backlog never keeps the transport
     * thread from its other work). A late message the stream accepts is sent, not dropped: the
     * timeout counts only while the stream does not take it. Transport thread only.
     *
     * @return how many messages left the queue (sent or dead-lettered)
     */
    int drain(NodeLink link, long nowNanos) {
        if (!link.offerLock.tryLock()) {
            return 0; // a sender thread is offering to this link right now: next duty cycle
        }
        try {
            return drainLocked(link, nowNanos);
        } finally {
            link.offerLock.unlock();
        }
    }

    private int drainLocked(NodeLink link, long nowNanos) {
        int done = 0;
        int expiries = MAX_EXPIRIES_PER_DRAIN;
        OutboundQueue.Batch b;
        while ((b = link.queue.next()) != null) {
            int before = b.readRecord;
            int blocked = drain(link, b, nowNanos, expiries);
            done += b.readRecord - before;
            if (blocked >= 0) {
                break;
            }
            expiries = -blocked - 1;
        }
        return done;
    }

    /** Most messages one {@link #drain} call dead-letters for having waited too long. */
    static final int MAX_EXPIRIES_PER_DRAIN = 4096;

    /**
     * Dead-letters everything waiting for a link that went down. {@link Links#down} closed its
     * queue first, so nothing can be appended after this drain. Transport thread only.
     */
    void failAll(NodeLink link) {
        link.offerLock.lock(); // waits out a sender in the middle of its offer: nothing is skipped
        try {
            drainLocked(link, System.nanoTime());
        } finally {
            link.offerLock.unlock();
        }
    }

    private static String downReason(NodeLink link) {
        return "node " + link.name + " is down (" + link.downReason() + ")";
    }

    /**
     * Sends (or dead-letters) {@code b}'s records.
     *
     * @return {@code -(expiries left) - 1} if the batch is done, or the expiries left (>= 0) if the
     *     stream pushed back first
     */
    private int drain(NodeLink link, OutboundQueue.Batch b, long nowNanos, int expiries) {
        while (b.hasUnsent()) {
            if (!link.isUp()) {
                dropRecords(link, b, 1, NodeCounters.Kind.DEAD_LETTERS_NODE_DOWN, downReason(link));
                continue;
            }
            Publication pub = link.publication;
            if (pub != null && offerNext(pub, link, b)) {
                continue;
            }
            // The stream did not take it: expire what waited too long (records are in arrival
            // order).
            if (b.chunkOffset != 0
                    || expiries == 0
                    || nowNanos - b.arrivedNanos[b.readRecord] - backPressureTimeoutNanos <= 0) {
                return expiries;
            }
            dropRecords(
                    link,
                    b,
                    1,
                    NodeCounters.Kind.DEAD_LETTERS_BACK_PRESSURE_TIMEOUT,
                    "node "
                            + link.name
                            + " did not accept it for "
                            + backPressureTimeout.toMillis()
                            + " ms (back-pressure: the receiver is slow or stopped)");
            expiries--;
        }
        return -expiries - 1;
    }

    /**
     * Offers the next records: as many as fit in one BATCH frame, else the next one alone. False if
     * not taken.
     */
    private boolean offerNext(Publication pub, NodeLink link, OutboundQueue.Batch b) {
        int i = b.readRecord;
        int off = b.readOffset;
        int len = b.length(off);
        int frameRoom = pub.maxPayloadLength() - Wire.HEADER_LENGTH;
        if (b.chunkOffset == 0
                && Wire.RECORD_HEADER_LENGTH + len <= frameRoom
                && i + 1 < b.records) {
            int end = off;
            int n = 0;
            while (i + n < b.records) {
                int recordBytes = Wire.RECORD_HEADER_LENGTH + b.length(end);
                if (end - off + recordBytes > frameRoom) {
                    break;
                }
                end += recordBytes;
                n++;
            }
            if (n > 1) {
                Wire.writeHeader(
                        agentHeader, Wire.BATCH, clusterTag, 0, incarnation, link.incarnation);
                agentPayload.wrap(b.bytes, off, end - off);
                long result =
                        pub.offer(agentHeader, 0, Wire.HEADER_LENGTH, agentPayload, 0, end - off);
                return settled(link, b, n, result, Wire.HEADER_LENGTH + end - off);
            }
        }
        return offerOne(pub, link, b, off, len);
    }

    /**
     * Offers one record as its own DATA or CONTROL frame, in chunks if it is too large for one
     * Aeron message.
     */
    private boolean offerOne(
            Publication pub, NodeLink link, OutboundQueue.Batch b, int off, int len) {
        byte type = b.type(off);
        int exportId = b.exportId(off);
        int payloadOffset = off + Wire.RECORD_HEADER_LENGTH;
        int whole = Wire.HEADER_LENGTH + len;
        if (whole <= pub.maxMessageLength()) {
            Wire.writeHeader(
                    agentHeader, type, clusterTag, exportId, incarnation, link.incarnation);
            agentPayload.wrap(b.bytes, payloadOffset, len);
            long result = pub.offer(agentHeader, 0, Wire.HEADER_LENGTH, agentPayload, 0, len);
            return settled(link, b, 1, result, whole);
        }
        if (b.messageId == 0) {
            b.messageId = messageIds.incrementAndGet();
        }
        int chunkMax = pub.maxMessageLength() - Wire.HEADER_LENGTH - Wire.CHUNK_HEADER_LENGTH;
        while (b.chunkOffset < len) {
            int n = Math.min(chunkMax, len - b.chunkOffset);
            Wire.writeHeader(
                    agentHeader, Wire.CHUNK, clusterTag, exportId, incarnation, link.incarnation);
            agentHeader.putLong(Wire.HEADER_LENGTH, b.messageId);
            agentHeader.putInt(Wire.HEADER_LENGTH + 8, len);
            agentHeader.putInt(Wire.HEADER_LENGTH + 12, b.chunkOffset);
            agentPayload.wrap(b.bytes, payloadOffset + b.chunkOffset, n);
            long result =
                    pub.offer(
                            agentHeader,
                            0,
                            Wire.HEADER_LENGTH + Wire.CHUNK_HEADER_LENGTH,
                            agentPayload,
                            0,
                            n);
            if (result <= 0) {
                if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                    return settled(
                            link, b, 1, result,
                            0); // the receiver drops the partial message with the sender's stream
                }
                if (result == Publication.BACK_PRESSURED) {
                    counters.increment(NodeCounters.Kind.BACK_PRESSURE_EVENTS);
                }
                return false;
            }
            b.chunkOffset += n;
            counters.add(
                    NodeCounters.Kind.BYTES_SENT,
                    n + Wire.HEADER_LENGTH + Wire.CHUNK_HEADER_LENGTH);
        }
        counters.increment(NodeCounters.Kind.MESSAGES_SENT);
        advance(b, 1);
        return true;
    }

    /**
     * Settles {@code n} records after an offer: sent, or dead-lettered if the stream is closed.
     *
     * @return false if they must be offered again (back-pressure, not connected, admin action)
     */
    private boolean settled(
            NodeLink link, OutboundQueue.Batch b, int n, long result, int frameBytes) {
        if (result > 0) {
            counters.add(NodeCounters.Kind.MESSAGES_SENT, n);
            counters.add(NodeCounters.Kind.BYTES_SENT, frameBytes);
            advance(b, n);
            return true;
        }
        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
            dropRecords(
                    link,
                    b,
                    n,
                    NodeCounters.Kind.DEAD_LETTERS_STREAM_CLOSED,
                    "the stream to node " + link.name + " is closed (" + offerResult(result) + ")");
            return true;
        }
        if (result == Publication.BACK_PRESSURED) {
            counters.increment(NodeCounters.Kind.BACK_PRESSURE_EVENTS);
        }
        return false;
    }

    /** Moves past {@code n} records that left, and tells the queue. */
    private static void advance(OutboundQueue.Batch b, int n) {
        long bytes = 0;
        for (int k = 0; k < n; k++) {
            int len = b.length(b.readOffset);
            bytes += OutboundQueue.footprint(len);
            b.readOffset += Wire.RECORD_HEADER_LENGTH + len;
            b.senders[b.readRecord] = null;
            b.recipients[b.readRecord] = null;
            b.readRecord++;
        }
        b.messageId = 0;
        b.chunkOffset = 0;
        b.owner.done(n, bytes);
    }

    /**
     * Dead-letters the next {@code n} records with {@code reason}. The message objects were not
     * kept: each is decoded again from its bytes (an equal value, messages being immutable).
     */
    private void dropRecords(
            NodeLink link, OutboundQueue.Batch b, int n, NodeCounters.Kind kind, String reason) {
        int off = b.readOffset;
        for (int k = 0; k < n; k++) {
            int len = b.length(off);
            Object message;
            try {
                message = codec.decode(b.bytes, off + Wire.RECORD_HEADER_LENGTH, len);
            } catch (RuntimeException e) {
                message =
                        "a "
                                + len
                                + "-byte message that this node encoded but cannot decode again ("
                                + e
                                + ")";
            }
            deadLetters.drop(
                    message,
                    kind,
                    reason,
                    b.senders[b.readRecord + k],
                    b.recipients[b.readRecord + k]);
            off += Wire.RECORD_HEADER_LENGTH + len;
        }
        advance(b, n);
    }

    static String offerResult(long result) {
        if (result == Publication.NOT_CONNECTED) return "NOT_CONNECTED";
        if (result == Publication.BACK_PRESSURED) return "BACK_PRESSURED";
        if (result == Publication.ADMIN_ACTION) return "ADMIN_ACTION";
        if (result == Publication.CLOSED) return "CLOSED";
        if (result == Publication.MAX_POSITION_EXCEEDED) return "MAX_POSITION_EXCEEDED";
        return Long.toString(result);
    }
}
