package io.troupe.benchmarks.scenarios;

import io.troupe.benchmarks.jmh.Payload;
import java.util.Arrays;

/**
 * The one-way scenarios' messages: {@link Payload#SMALL} with its timestamp advanced by a sequence
 * number and its id by the sender's index, so that the receiver can check each sender's order while
 * every message keeps the size of the codec benchmark's small payload (the timestamp is a large
 * varint; adding up to a few million does not change its length, nor does adding a few to the id).
 *
 * <p>The byte-level baselines carry the same two numbers as one tagged long ({@link #tag}): the
 * sender index in the top bits, the sequence number below.
 *
 * <p>Thread safety: stateless.
 */
final class Sequenced {
    static final Payload.Small TEMPLATE = (Payload.Small) Payload.SMALL.message();

    /** Most senders one receiver tells apart. */
    static final int MAX_SENDERS = 64;

    private static final int SEQ_BITS = 40;
    private static final long SEQ_MASK = (1L << SEQ_BITS) - 1;

    private Sequenced() {}

    static Payload.Small small(long seq) {
        return small(seq, 0);
    }

    static Payload.Small small(long seq, int sender) {
        return new Payload.Small(
                TEMPLATE.id() + sender,
                TEMPLATE.timestamp() + seq,
                TEMPLATE.name(),
                TEMPLATE.flag());
    }

    static long seq(Payload.Small s) {
        return s.timestamp() - TEMPLATE.timestamp();
    }

    static int sender(Payload.Small s) {
        return s.id() - TEMPLATE.id();
    }

    /** Sender index and sequence number as one long; {@code tag(0, seq) == seq}. */
    static long tag(int sender, long seq) {
        return ((long) sender << SEQ_BITS) | seq;
    }

    static int senderOf(long tag) {
        return (int) (tag >>> SEQ_BITS);
    }

    static long seqOf(long tag) {
        return tag & SEQ_MASK;
    }

    /**
     * Per-sender order check and count, as every receiver keeps it: a message is out of order when
     * its number is not the one after its sender's previous.
     *
     * <p>Thread safety: not thread-safe; one receiving thread or actor.
     */
    static final class OrderCheck {
        private final long[] next = new long[MAX_SENDERS];
        long received;
        long outOfOrder;

        void reset() {
            Arrays.fill(next, 0);
            received = 0;
            outOfOrder = 0;
        }

        void accept(int sender, long seq) {
            received++;
            if (sender < 0 || sender >= MAX_SENDERS) {
                outOfOrder++;
                return;
            }
            if (seq != next[sender]) {
                outOfOrder++;
            }
            next[sender] = seq + 1;
        }
    }
}
