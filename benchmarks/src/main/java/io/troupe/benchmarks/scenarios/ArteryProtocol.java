package io.troupe.benchmarks.scenarios;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.troupe.benchmarks.jmh.Payload;
import java.util.Objects;

/**
 * The messages the {@code akka-artery} baseline sends between processes. Akka 2.6's Jackson (2.11)
 * cannot read records, so these are plain immutable classes with Jackson creators; the marker
 * {@link Message} is bound to Akka's {@code jackson-cbor} serializer in {@link
 * ArteryRemoting#config}.
 *
 * <p>Thread safety: immutable.
 */
final class ArteryProtocol {
    private ArteryProtocol() {}

    /** Bound to {@code jackson-cbor}: everything that crosses a process in the Artery baseline. */
    interface Message {}

    /**
     * The same logical content as {@link Payload#SMALL}: id (carrying the sender index), numbered
     * timestamp, name, flag.
     */
    static final class Small implements Message {
        private final int id;
        private final long timestamp;
        private final String name;
        private final boolean flag;

        @JsonCreator
        Small(
                @JsonProperty("id") int id,
                @JsonProperty("timestamp") long timestamp,
                @JsonProperty("name") String name,
                @JsonProperty("flag") boolean flag) {
            this.id = id;
            this.timestamp = timestamp;
            this.name = Objects.requireNonNull(name, "name");
            this.flag = flag;
        }

        /**
         * Message {@code seq} of sender {@code sender}, built like {@link Sequenced#small(long,
         * int)}.
         */
        static Small of(long seq, int sender) {
            Payload.Small s = Sequenced.small(seq, sender);
            return new Small(s.id(), s.timestamp(), s.name(), s.flag());
        }

        @JsonProperty("id")
        int id() {
            return id;
        }

        @JsonProperty("timestamp")
        long timestamp() {
            return timestamp;
        }

        @JsonProperty("name")
        String name() {
            return name;
        }

        @JsonProperty("flag")
        boolean flag() {
            return flag;
        }

        long seq() {
            return timestamp - Sequenced.TEMPLATE.timestamp();
        }

        int sender() {
            return id - Sequenced.TEMPLATE.id();
        }
    }

    /**
     * Sent once by a sender before its first {@link Small}: where the receiver sends this sender's
     * {@link Ack}s.
     */
    static final class Start implements Message {
        private final int sender;
        private final ActorRef<Ack> ackTo;

        @JsonCreator
        Start(@JsonProperty("sender") int sender, @JsonProperty("ackTo") ActorRef<Ack> ackTo) {
            this.sender = sender;
            this.ackTo = Objects.requireNonNull(ackTo, "ackTo");
        }

        @JsonProperty("sender")
        int sender() {
            return sender;
        }

        @JsonProperty("ackTo")
        ActorRef<Ack> ackTo() {
            return ackTo;
        }
    }

    /**
     * The receiver has had {@code count} messages from this sender since it started (not per
     * round): a batched ack.
     */
    static final class Ack implements Message {
        private final long count;

        @JsonCreator
        Ack(@JsonProperty("count") long count) {
            this.count = count;
        }

        @JsonProperty("count")
        long count() {
            return count;
        }
    }

    /** The round-trip request: answered with {@code body}. */
    static final class Ping implements Message {
        private final Small body;
        private final ActorRef<Small> replyTo;

        @JsonCreator
        Ping(@JsonProperty("body") Small body, @JsonProperty("replyTo") ActorRef<Small> replyTo) {
            this.body = Objects.requireNonNull(body, "body");
            this.replyTo = Objects.requireNonNull(replyTo, "replyTo");
        }

        @JsonProperty("body")
        Small body() {
            return body;
        }

        @JsonProperty("replyTo")
        ActorRef<Small> replyTo() {
            return replyTo;
        }
    }
}
