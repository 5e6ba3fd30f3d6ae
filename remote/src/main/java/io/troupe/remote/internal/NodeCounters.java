package io.troupe.remote.internal;

import io.aeron.Aeron;
import io.aeron.Counter;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A node's counters, published as Aeron counters in the driver's counters file so that Aeron's
 * standard {@code AeronStat} tool lists them per node ({@code troupe <node> <name>}).
 *
 * <p>Senders count into {@link LongAdder}s (no shared-memory write per message on the send path);
 * the transport thread copies the sums into the Aeron counters every few milliseconds.
 *
 * <p>Public (in an internal package, so not API) for the monitor that reads them back: {@link
 * io.troupe.remote.monitor.ClusterMonitor}.
 *
 * <p>Thread safety: {@link #add} from any thread; {@link #flush} and {@link #close} from the
 * transport thread (close may also run after it stopped).
 */
public final class NodeCounters implements AutoCloseable {
    /** Aeron counter type id of Troupe's counters (user range: above Aeron's own ids). */
    public static final int TYPE_ID = 7_100;

    /** Every counter label starts with this, then the node name, a space and the counter name. */
    public static final String LABEL_PREFIX = "troupe ";

    /** A node's counters, in the order they are allocated; {@link #label} names each. */
    public enum Kind {
        MESSAGES_SENT("msgs-sent"),
        BYTES_SENT("bytes-sent"),
        MESSAGES_RECEIVED("msgs-received"),
        BYTES_RECEIVED("bytes-received"),
        /** Messages sent to actors on other machines (over Artery, cluster mode). */
        MESSAGES_SENT_ACROSS("msgs-sent-across"),
        /** Messages from other machines that decoded at this node's gateway (cluster mode). */
        MESSAGES_RECEIVED_ACROSS("msgs-received-across"),
        BACK_PRESSURE_EVENTS("back-pressure-events"),
        DEAD_LETTERS("dead-letters"),
        DECODE_FAILURES("decode-failures"),
        REJECTED_FRAMES("rejected-frames"),
        INBOUND_PAUSES("inbound-pauses"),
        REJECTED_MESSAGES("rejected-messages"),
        REFUSED_AT_SENDER("refused-at-sender"),
        /** Mailbox runs on the event-loop dispatcher longer than its overrun-warning. */
        EVENT_LOOP_OVERRUNS("event-loop-overruns"),
        // Dead letters by reason (their sum is DEAD_LETTERS): what stat shows.
        DEAD_LETTERS_NODE_DOWN("dead-letters.node-down"),
        DEAD_LETTERS_UNKNOWN_NODE("dead-letters.unknown-node"),
        DEAD_LETTERS_NODE_CLOSED("dead-letters.node-closed"),
        DEAD_LETTERS_BACK_PRESSURE_TIMEOUT("dead-letters.back-pressure-timeout"),
        DEAD_LETTERS_QUEUE_FULL("dead-letters.queue-full"),
        DEAD_LETTERS_STREAM_CLOSED("dead-letters.stream-closed"),
        DEAD_LETTERS_NO_SUCH_ACTOR("dead-letters.no-such-actor"),
        DEAD_LETTERS_NOT_IN_PROTOCOL("dead-letters.not-in-protocol"),
        DEAD_LETTERS_UNDECODABLE("dead-letters.undecodable"),
        DEAD_LETTERS_REFUSED("dead-letters.refused-at-sender");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        /** Its name in the counter's label, e.g. {@code msgs-sent}. */
        public String label() {
            return label;
        }
    }

    private final Map<Kind, LongAdder> sums = new EnumMap<>(Kind.class);
    private final Map<Kind, Counter> counters = new EnumMap<>(Kind.class);

    NodeCounters(Aeron aeron, String node) {
        for (Kind k : Kind.values()) {
            sums.put(k, new LongAdder());
            counters.put(k, aeron.addCounter(TYPE_ID, LABEL_PREFIX + node + " " + k.label));
        }
    }

    void add(Kind kind, long n) {
        sums.get(kind).add(n);
    }

    void increment(Kind kind) {
        sums.get(kind).increment();
    }

    long get(Kind kind) {
        return sums.get(kind).sum();
    }

    void flush() {
        for (Kind k : Kind.values()) {
            Counter c = counters.get(k);
            if (!c.isClosed()) {
                c.setRelease(sums.get(k).sum());
            }
        }
    }

    @Override
    public void close() {
        for (Counter c : counters.values()) {
            c.close();
        }
    }
}
