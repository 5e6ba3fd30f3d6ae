package io.troupe.remote.internal;

import akka.actor.ActorRef;
import io.aeron.Publication;
import io.troupe.core.codec.EncodedSink;
import io.troupe.core.codec.MessageCodec;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The send path. A message is encoded on the sender's thread and, when its peer's stream has
 * room and nothing is queued before it, offered there directly: no thread hand-off, one copy
 * into the Aeron log. Otherwise (back-pressure, a publication not yet connected, a message too
 * large for one Aeron message) its bytes are queued on the {@link NodeLink} and the transport
 * thread offers them, in chunks when needed, until {@code back-pressure-timeout}; what still
 * cannot go then goes to dead letters with the reason. Nothing here blocks or sleeps.
 *
 * <p>Thread safety: {@link #send} from any thread; {@link #drain} from the transport thread only.
 */
final class Outbound {
    /** A message waiting for its peer's stream. Mutable progress fields are transport-thread only. */
    static final class Pending {
        final NodeLink link;
        final byte type;
        final int exportId;
        final byte[] payload;
        final Object message;
        final ActorRef sender;
        final ActorRef recipient;
        final long deadlineNanos;
        long messageId;
        int chunkOffset;

        Pending(NodeLink link, byte type, int exportId, byte[] payload, Object message, ActorRef sender, ActorRef recipient,
                long deadlineNanos) {
            this.link = link;
            this.type = type;
            this.exportId = exportId;
            this.payload = payload;
            this.message = message;
            this.sender = sender;
            this.recipient = recipient;
            this.deadlineNanos = deadlineNanos;
        }
    }

    /** Per-thread scratch for the direct path: header buffer, payload view, and the sink's arguments. */
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
            if (pub != null && l.pendingCount.get() == 0 && len + Wire.HEADER_LENGTH <= pub.maxMessageLength()) {
                Wire.writeHeader(header, type, exportId, incarnation, l.incarnation);
                payload.wrap(buf, off, len);
                long result = pub.offer(header, 0, Wire.HEADER_LENGTH, payload, 0, len);
                if (result > 0) {
                    counters.increment(NodeCounters.Kind.MESSAGES_SENT);
                    counters.add(NodeCounters.Kind.BYTES_SENT, len + Wire.HEADER_LENGTH);
                    return null;
                }
                if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                    deadLetters.drop(message, "the stream to node " + l.name + " is closed (" + offerResult(result) + ")",
                            sender, recipient);
                    return null;
                }
                if (result == Publication.BACK_PRESSURED) {
                    counters.increment(NodeCounters.Kind.BACK_PRESSURE_EVENTS);
                }
            }
            if (l.pendingBytes.get() + len > maxQueueBytes) {
                deadLetters.drop(message, "the outbound queue to node " + l.name + " is full (" + l.pendingBytes.get()
                        + " bytes wait under back-pressure, limit troupe.remote.outbound-queue-bytes = " + maxQueueBytes
                        + "): the receiver is slower than its senders", sender, recipient);
                return null;
            }
            enqueue(new Pending(l, type, exportId, Arrays.copyOfRange(buf, off, off + len), message, sender, recipient,
                    System.nanoTime() + backPressureTimeoutNanos));
            return null;
        }
    }

    private final MessageCodec codec;
    private final long incarnation;
    private final NodeCounters counters;
    private final DeadLetters deadLetters;
    private final long backPressureTimeoutNanos;
    private final Duration backPressureTimeout;
    private final long maxQueueBytes;
    private final AtomicLong messageIds = new AtomicLong();
    private final ThreadLocal<SendContext> contexts = ThreadLocal.withInitial(SendContext::new);
    private final UnsafeBuffer agentHeader = new UnsafeBuffer(new byte[Wire.HEADER_LENGTH + Wire.CHUNK_HEADER_LENGTH]);
    private final UnsafeBuffer agentPayload = new UnsafeBuffer(new byte[0]);

    Outbound(MessageCodec codec, long incarnation, NodeCounters counters, DeadLetters deadLetters, Duration backPressureTimeout,
             long maxQueueBytes) {
        this.maxQueueBytes = maxQueueBytes;
        this.codec = codec;
        this.incarnation = incarnation;
        this.counters = counters;
        this.deadLetters = deadLetters;
        this.backPressureTimeout = backPressureTimeout;
        this.backPressureTimeoutNanos = backPressureTimeout.toNanos();
    }

    /**
     * Encodes {@code message} and sends it to {@code exportId} on {@code link}'s node.
     *
     * @throws io.troupe.core.codec.CodecException at the sender, for an unregistered, mutable or
     *     oversized message
     */
    void send(NodeLink link, byte type, int exportId, Object message, ActorRef sender, ActorRef recipient) {
        if (!link.isUp()) {
            deadLetters.drop(message, "node " + link.name + " is down (" + link.downReason + ")", sender, recipient);
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
        } finally {
            c.link = null;
            c.message = null;
            c.sender = null;
            c.recipient = null;
        }
    }

    private void enqueue(Pending p) {
        p.link.pendingBytes.addAndGet(p.payload.length);
        p.link.pendingCount.incrementAndGet();
        p.link.pending.offer(p);
    }

    /**
     * Offers what waits on {@code link}, in order, until its stream pushes back. Transport thread only.
     *
     * @return how many entries left the queue (sent or dead-lettered)
     */
    int drain(NodeLink link, long nowNanos) {
        int done = 0;
        Pending p;
        while ((p = link.pending.peek()) != null) {
            if (!link.isUp()) {
                deadLetters.drop(p.message, "node " + link.name + " is down (" + link.downReason + ")", p.sender, p.recipient);
            } else if (p.chunkOffset == 0 && nowNanos - p.deadlineNanos > 0) {
                deadLetters.drop(p.message, "node " + link.name + " did not accept it for " + backPressureTimeout.toMillis()
                        + " ms (back-pressure: the receiver is slow or stopped)", p.sender, p.recipient);
            } else {
                Publication pub = link.publication;
                if (pub == null || !offer(pub, p)) {
                    break;
                }
            }
            link.pending.poll();
            link.pendingBytes.addAndGet(-p.payload.length);
            link.pendingCount.decrementAndGet();
            done++;
        }
        return done;
    }

    /** Dead-letters everything queued for a link that went down. Transport thread only. */
    void failAll(NodeLink link) {
        drain(link, System.nanoTime());
    }

    private boolean offer(Publication pub, Pending p) {
        int whole = Wire.HEADER_LENGTH + p.payload.length;
        if (whole <= pub.maxMessageLength()) {
            Wire.writeHeader(agentHeader, p.type, p.exportId, incarnation, p.link.incarnation);
            agentPayload.wrap(p.payload);
            long result = pub.offer(agentHeader, 0, Wire.HEADER_LENGTH, agentPayload, 0, p.payload.length);
            return sent(pub, p, result, whole);
        }
        if (p.messageId == 0) {
            p.messageId = messageIds.incrementAndGet();
        }
        int chunkMax = pub.maxMessageLength() - Wire.HEADER_LENGTH - Wire.CHUNK_HEADER_LENGTH;
        while (p.chunkOffset < p.payload.length) {
            int n = Math.min(chunkMax, p.payload.length - p.chunkOffset);
            Wire.writeHeader(agentHeader, Wire.CHUNK, p.exportId, incarnation, p.link.incarnation);
            agentHeader.putLong(Wire.HEADER_LENGTH, p.messageId);
            agentHeader.putInt(Wire.HEADER_LENGTH + 8, p.payload.length);
            agentHeader.putInt(Wire.HEADER_LENGTH + 12, p.chunkOffset);
            agentPayload.wrap(p.payload, p.chunkOffset, n);
            long result = pub.offer(agentHeader, 0, Wire.HEADER_LENGTH + Wire.CHUNK_HEADER_LENGTH, agentPayload, 0, n);
            if (result <= 0) {
                return sent(pub, p, result, 0);
            }
            p.chunkOffset += n;
            counters.add(NodeCounters.Kind.BYTES_SENT, n + Wire.HEADER_LENGTH + Wire.CHUNK_HEADER_LENGTH);
        }
        counters.increment(NodeCounters.Kind.MESSAGES_SENT);
        return true;
    }

    private boolean sent(Publication pub, Pending p, long result, int bytes) {
        if (result > 0) {
            counters.increment(NodeCounters.Kind.MESSAGES_SENT);
            counters.add(NodeCounters.Kind.BYTES_SENT, bytes);
            return true;
        }
        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
            deadLetters.drop(p.message, "the stream to node " + p.link.name + " is closed (" + offerResult(result) + ")", p.sender,
                    p.recipient);
            return true; // settled: it leaves the queue
        }
        if (result == Publication.BACK_PRESSURED) {
            counters.increment(NodeCounters.Kind.BACK_PRESSURE_EVENTS);
        }
        return false;
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
