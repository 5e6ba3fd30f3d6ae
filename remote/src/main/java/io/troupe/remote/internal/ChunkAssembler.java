package io.troupe.remote.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.agrona.DirectBuffer;

/**
 * Reassembles messages that were sent in chunks. Chunks of one message come from one sender on one
 * stream, so they arrive in order: a chunk that does not continue its message exactly discards it.
 * Memory is bounded: the declared total is checked against the message limit, the buffer grows with
 * the bytes that actually arrived (at most twice them), not with the total a chunk declares, and
 * each sender has at most {@link #MAX_PARTIAL_PER_SENDER} messages in progress (the oldest is
 * dropped first). So a peer that sends first chunks declaring 16 MiB costs what it sends, not 16
 * MiB a frame.
 *
 * <p>Thread safety: transport thread only.
 */
final class ChunkAssembler {
    static final int MAX_PARTIAL_PER_SENDER = 4;

    /** A complete message, or why a chunk was rejected. */
    record Result(byte[] message, String rejection) {
        static final Result INCOMPLETE = new Result(null, null);
    }

    private record Key(long sender, long messageId) {}

    private static final class Partial {
        final int total;
        byte[] bytes = new byte[0]; // grows as chunks arrive, never beyond total
        int received;
        final long order;

        Partial(int total, long order) {
            this.total = total;
            this.order = order;
        }
    }

    private final int maxMessageBytes;
    private final Map<Key, Partial> partials = new HashMap<>();
    private long order;

    ChunkAssembler(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * @param offset start of the chunk header (after the frame header)
     * @param length chunk header plus bytes
     */
    Result onChunk(long sender, DirectBuffer buffer, int offset, int length) {
        if (length < Wire.CHUNK_HEADER_LENGTH) {
            return new Result(null, "a chunk shorter than its header (" + length + " bytes)");
        }
        long messageId = buffer.getLong(offset);
        int total = buffer.getInt(offset + 8);
        int at = buffer.getInt(offset + 12);
        int n = length - Wire.CHUNK_HEADER_LENGTH;
        Key key = new Key(sender, messageId);
        if (total <= 0 || total > maxMessageBytes) {
            partials.remove(key);
            return new Result(
                    null,
                    "a chunked message declaring "
                            + total
                            + " bytes (limit max-message-bytes = "
                            + maxMessageBytes
                            + ")");
        }
        Partial p = partials.get(key);
        if (p == null) {
            if (at != 0) {
                return new Result(
                        null,
                        "a chunk at offset " + at + " of a message whose start was never seen");
            }
            evictOldest(sender);
            p = new Partial(total, order++);
            partials.put(key, p);
        }
        if (p.total != total || at != p.received || n > total - at) {
            partials.remove(key);
            return new Result(
                    null,
                    "a chunk that does not continue its message (offset "
                            + at
                            + ", "
                            + n
                            + " bytes, expected offset "
                            + p.received
                            + " of "
                            + p.total
                            + ")");
        }
        if (p.bytes.length < at + n) {
            p.bytes =
                    Arrays.copyOf(
                            p.bytes, (int) Math.min(total, Math.max(at + n, 2L * p.bytes.length)));
        }
        buffer.getBytes(offset + Wire.CHUNK_HEADER_LENGTH, p.bytes, at, n);
        p.received += n;
        if (p.received < total) {
            return Result.INCOMPLETE;
        }
        partials.remove(key);
        return new Result(p.bytes, null);
    }

    /** Drops every partial message of a sender (it went down). */
    void forget(long sender) {
        partials.keySet().removeIf(k -> k.sender == sender);
    }

    int inProgress() {
        return partials.size();
    }

    private void evictOldest(long sender) {
        Key oldest = null;
        long oldestOrder = Long.MAX_VALUE;
        int count = 0;
        for (Map.Entry<Key, Partial> e : partials.entrySet()) {
            if (e.getKey().sender == sender) {
                count++;
                if (e.getValue().order < oldestOrder) {
                    oldestOrder = e.getValue().order;
                    oldest = e.getKey();
                }
            }
        }
        if (count >= MAX_PARTIAL_PER_SENDER && oldest != null) {
            partials.remove(oldest);
        }
    }
}
