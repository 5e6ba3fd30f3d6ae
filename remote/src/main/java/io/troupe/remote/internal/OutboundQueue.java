package io.troupe.remote.internal;

import akka.actor.ActorRef;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The messages waiting for one peer's stream while it pushes back: encoded bytes appended to 64 KiB
 * {@link Batch}es in the record layout of a {@link Wire#BATCH} frame, so that the transport thread
 * sends dozens of waiting messages with one Aeron offer, and a waiting message costs no object of
 * its own (the bytes, plus one slot in three arrays for its sender, recipient and time of arrival;
 * the message object itself is not kept — a dead letter decodes an equal copy from the bytes).
 *
 * <p>Why not a queue of one entry per message: under sustained back-pressure a sender fills the
 * queue at its own speed, and every entry outlives several young collections. Measured with the
 * one-way harness, one object graph per waiting message cost the sending process ~230 ns of
 * garbage-collector time per message, more than encoding and sending together.
 *
 * <p>Ordering: {@link #isEmpty()} is true only when every appended record has left (was offered or
 * dead-lettered): the sender's direct path offers only then, so a message never overtakes an
 * earlier one from the same sender.
 *
 * <p>Closing: {@link #close} (by the one place that takes a link down, {@link Links#down}) refuses
 * every later {@link #append} under the same lock that appends take, so a sender racing with the
 * link going down either appended before the close (and its record is then dead-lettered by the
 * drain that follows the close) or is told {@link Append#CLOSED} and dead-letters the message
 * itself. No record can land in a queue that nobody drains any more.
 *
 * <p>Thread safety: {@link #append} and {@link #close} from any thread (under a lock, held for a
 * copy of the bytes); {@link #next}, {@link #done} and {@link #recycle} from the transport thread
 * only.
 */
final class OutboundQueue {
    /**
     * Bytes of a batch: big enough that fetching the next one is rare, small enough to stay out of
     * G1's humongous regions.
     */
    static final int BATCH_BYTES = 64 * 1024;

    /**
     * Heap a waiting message takes besides its record: its slots in the sender, recipient and
     * arrival arrays.
     */
    static final int SLOT_BYTES = 16;

    /**
     * The heap one waiting message of {@code payloadBytes} encoded bytes takes, as counted against
     * the limit.
     */
    static long footprint(int payloadBytes) {
        return Wire.RECORD_HEADER_LENGTH + payloadBytes + SLOT_BYTES;
    }

    /** One run of waiting records. The progress fields are transport-thread only. */
    static final class Batch {
        final OutboundQueue owner;
        final byte[] bytes;
        final UnsafeBuffer view;
        int limit;
        int records;
        ActorRef[] senders = new ActorRef[64];
        ActorRef[] recipients = new ActorRef[64];
        long[] arrivedNanos = new long[64];

        // Sending progress (transport thread only).
        int readOffset;
        int readRecord;
        long messageId; // the chunked record in progress, 0 if none
        int chunkOffset;

        Batch(OutboundQueue owner, int capacity) {
            this.owner = owner;
            bytes = new byte[capacity];
            view = new UnsafeBuffer(bytes);
        }

        byte type(int offset) {
            return bytes[offset];
        }

        int exportId(int offset) {
            return view.getInt(offset + Wire.RECORD_EXPORT_ID_OFFSET);
        }

        int length(int offset) {
            return view.getInt(offset + Wire.RECORD_LENGTH_OFFSET);
        }

        boolean hasUnsent() {
            return readRecord < records;
        }

        private boolean fits(int recordBytes) {
            return limit + recordBytes <= bytes.length;
        }

        private void add(
                byte type,
                int exportId,
                byte[] buf,
                int off,
                int len,
                ActorRef sender,
                ActorRef recipient,
                long nowNanos) {
            if (records == senders.length) {
                int n = records * 2;
                senders = Arrays.copyOf(senders, n);
                recipients = Arrays.copyOf(recipients, n);
                arrivedNanos = Arrays.copyOf(arrivedNanos, n);
            }
            bytes[limit + Wire.RECORD_TYPE_OFFSET] = type;
            view.putInt(limit + Wire.RECORD_EXPORT_ID_OFFSET, exportId);
            view.putInt(limit + Wire.RECORD_LENGTH_OFFSET, len);
            System.arraycopy(buf, off, bytes, limit + Wire.RECORD_HEADER_LENGTH, len);
            limit += Wire.RECORD_HEADER_LENGTH + len;
            senders[records] = sender;
            recipients[records] = recipient;
            arrivedNanos[records] = nowNanos;
            records++;
        }

        private void reset() {
            limit = 0;
            records = 0;
            readOffset = 0;
            readRecord = 0;
            messageId = 0;
            chunkOffset = 0;
            Arrays.fill(senders, null);
            Arrays.fill(recipients, null);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Batch> full = new ArrayDeque<>(); // guarded by lock
    private Batch open; // guarded by lock; records are appended here
    private Batch spare; // guarded by lock: one recycled batch, so a steady back-pressure allocates
    // nothing
    private Batch sending; // transport thread only: the batch being sent
    private boolean closed; // guarded by lock
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong waitingBytes = new AtomicLong();

    /** True when no record waits: the sender may offer directly. */
    boolean isEmpty() {
        return waiting.get() == 0;
    }

    /** Heap bytes the waiting messages take: records (header and encoded bytes) and their slots. */
    long waitingBytes() {
        return waitingBytes.get();
    }

    /** What {@link #append} did with a message. */
    enum Append {
        /** It waits in the queue; the transport thread sends or dead-letters it. */
        APPENDED,
        /** Not appended: it would take the waiting bytes over the limit. */
        FULL,
        /** Not appended: the link went down and the queue is closed. */
        CLOSED
    }

    /**
     * Appends one encoded message, unless that would take the waiting bytes ({@link #footprint})
     * over {@code maxBytes} or the queue is closed. What was not appended is the caller's to
     * dead-letter.
     */
    Append append(
            byte type,
            int exportId,
            byte[] buf,
            int off,
            int len,
            ActorRef sender,
            ActorRef recipient,
            long nowNanos,
            long maxBytes) {
        int recordBytes = Wire.RECORD_HEADER_LENGTH + len;
        lock.lock();
        try {
            if (closed) {
                return Append.CLOSED;
            }
            long footprint = footprint(len);
            if (waitingBytes.get() + footprint > maxBytes) {
                return Append.FULL;
            }
            Batch b = open;
            if (b == null || !b.fits(recordBytes)) {
                if (b != null && b.records > 0) {
                    full.add(b);
                }
                if (recordBytes > BATCH_BYTES) {
                    b = new Batch(this, recordBytes); // a large message gets a batch of its own
                } else if (spare != null) {
                    b = spare;
                    spare = null;
                } else {
                    b = new Batch(this, BATCH_BYTES);
                }
                open = b;
            }
            b.add(type, exportId, buf, off, len, sender, recipient, nowNanos);
            waitingBytes.addAndGet(footprint);
            waiting.incrementAndGet();
            return Append.APPENDED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses every later append. Records appended before stay, for the caller to drain (they are
     * dead-lettered, the link being down). Idempotent; any thread.
     */
    void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #close} was called. */
    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The batch to send from: the one in progress, else the oldest waiting one; null if none.
     * Transport thread only.
     */
    Batch next() {
        Batch b = sending;
        if (b != null && b.hasUnsent()) {
            return b;
        }
        if (b != null) {
            recycle(b);
            sending = null;
        }
        if (waiting.get() == 0) {
            return null;
        }
        lock.lock();
        try {
            b = full.poll();
            if (b == null && open != null && open.records > 0) {
                b = open;
                open = null; // further appends start a new batch; this one is the transport's now
            }
        } finally {
            lock.unlock();
        }
        sending = b;
        return b;
    }

    /**
     * Records {@code n} messages of {@code bytes} {@link #footprint} bytes as gone (offered or
     * dead-lettered). Transport thread only.
     */
    void done(int n, long bytes) {
        waitingBytes.addAndGet(-bytes);
        waiting.addAndGet(-n);
    }

    private void recycle(Batch b) {
        if (b.bytes.length != BATCH_BYTES) {
            return; // a one-off large batch: let it go
        }
        b.reset();
        lock.lock();
        try {
            if (spare == null) {
                spare = b;
            }
        } finally {
            lock.unlock();
        }
    }
}
