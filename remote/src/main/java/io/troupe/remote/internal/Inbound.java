package io.troupe.remote.internal;

import akka.actor.ActorRef;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import io.troupe.core.codec.CodecException;
import io.troupe.core.codec.MessageCodec;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * This node's inbound stream, the mirror of {@link Outbound}: frames are checked, decoded and
 * delivered to local actors in the order they arrived.
 *
 * <p>Inbound frames are untrusted: each is checked (length, version, cluster, target incarnation,
 * sender membership) before its payload is decoded, and every rejection is counted and logged at a
 * limited rate; the node keeps serving whatever else arrives. A message that decodes but cannot be
 * delivered (no such actor any more, a type outside the protocol its actor was handed out for,
 * bytes that do not decode) goes to dead letters with the reason, naming the actor and the sending
 * node.
 *
 * <p>Thread safety: transport thread only.
 */
final class Inbound {
    /** Control frames between nodes, dispatched by the transport. */
    interface ControlHandler {
        void onControl(NodeLink from, Control message);
    }

    private final Self self;
    private final Subscription subscription;
    private final MessageCodec codec;
    private final Links links;
    private final Exports exports;
    private final InboundGate gate;
    private final NodeCounters counters;
    private final DeadLetters deadLetters;
    private final ChunkAssembler chunks;
    private final ControlHandler controls;
    private final Rejections rejections;
    private final Reassembler handler;
    private final UnsafeBuffer scratchView = new UnsafeBuffer(new byte[0]);
    private byte[] scratch = new byte[4096];

    Inbound(
            Self self,
            Subscription subscription,
            MessageCodec codec,
            Links links,
            Exports exports,
            InboundGate gate,
            NodeCounters counters,
            DeadLetters deadLetters,
            int maxMessageBytes,
            ControlHandler controls,
            Rejections rejections) {
        this.self = self;
        this.subscription = subscription;
        this.codec = codec;
        this.links = links;
        this.exports = exports;
        this.gate = gate;
        this.counters = counters;
        this.deadLetters = deadLetters;
        this.chunks = new ChunkAssembler(maxMessageBytes);
        this.controls = controls;
        this.rejections = rejections;
        // A poll stops after the frame that filled a mailbox over the limit: what it held is the
        // only slack.
        this.handler =
                new Reassembler(
                        (buffer, offset, length, header) -> {
                            try {
                                onFrame(buffer, offset, length, header);
                            } catch (RuntimeException e) {
                                rejections.reject(
                                        "a "
                                                + length
                                                + "-byte frame whose handling failed ("
                                                + e
                                                + ")",
                                        false);
                            }
                            return gate.isPaused()
                                    ? ControlledFragmentHandler.Action.BREAK
                                    : ControlledFragmentHandler.Action.CONTINUE;
                        });
    }

    /** Reads what arrived, unless a full mailbox keeps the gate closed. */
    int poll(long now) {
        return gate.isOpen(now) ? subscription.controlledPoll(handler, 256) : 0;
    }

    /** On the transport's timer. */
    void tick() {
        gate.tick();
        handler.freeGoneSessions(subscription);
    }

    /** A link went down: partial chunked messages from it will never complete. */
    void forget(NodeLink link) {
        chunks.forget(link.incarnation);
    }

    private void onFrame(DirectBuffer buffer, int offset, int length, Header header) {
        counters.add(NodeCounters.Kind.BYTES_RECEIVED, length);
        if (length < Wire.HEADER_LENGTH) {
            rejections.reject(
                    "a "
                            + length
                            + "-byte frame, shorter than the "
                            + Wire.HEADER_LENGTH
                            + "-byte header",
                    false);
            return;
        }
        if (Wire.version(buffer, offset) != Wire.VERSION) {
            rejections.reject(
                    "a frame of wire version "
                            + Wire.version(buffer, offset)
                            + " (this node speaks "
                            + Wire.VERSION
                            + ")",
                    false);
            return;
        }
        if (Wire.clusterTag(buffer, offset) != self.clusterTag()) {
            rejections.reject(
                    "a frame of another cluster (tag "
                            + Wire.clusterTag(buffer, offset)
                            + ", this is cluster '"
                            + self.cluster()
                            + "', tag "
                            + self.clusterTag()
                            + "): two clusters share one aeron-dir",
                    false);
            return;
        }
        long target = Wire.target(buffer, offset);
        if (target != self.incarnation()) {
            rejections.reject(
                    "a frame for incarnation "
                            + Long.toHexString(target)
                            + " of this node name (this is "
                            + Long.toHexString(self.incarnation())
                            + "): a stale ref to an earlier run",
                    false);
            return;
        }
        long sender = Wire.sender(buffer, offset);
        NodeLink from = links.get(sender);
        if (from == null || !from.isUp()) {
            rejections.reject(
                    "a frame from "
                            + (from == null
                                    ? "unknown node incarnation " + Long.toHexString(sender)
                                    : "node " + from),
                    false);
            return;
        }
        byte type = Wire.type(buffer, offset);
        int exportId = Wire.exportId(buffer, offset);
        int bodyOffset = offset + Wire.HEADER_LENGTH;
        int bodyLength = length - Wire.HEADER_LENGTH;
        switch (type) {
            case Wire.DATA ->
                    deliver(from, exportId, copy(buffer, bodyOffset, bodyLength), 0, bodyLength);
            case Wire.CONTROL ->
                    onControl(from, copy(buffer, bodyOffset, bodyLength), 0, bodyLength);
            case Wire.BATCH -> onBatch(from, copy(buffer, bodyOffset, bodyLength), bodyLength);
            case Wire.CHUNK -> {
                ChunkAssembler.Result r = chunks.onChunk(sender, buffer, bodyOffset, bodyLength);
                if (r.rejection() != null) {
                    rejections.reject(r.rejection() + " from node " + from.name, false);
                } else if (r.message() != null) {
                    deliver(from, exportId, r.message(), 0, r.message().length);
                }
            }
            default ->
                    rejections.reject(
                            "a frame of unknown type " + type + " from node " + from.name, false);
        }
    }

    /**
     * The records of a BATCH frame, in order. A malformed record (unknown type, a length past the
     * frame's end) rejects it and the rest of the frame: the records before it were delivered.
     */
    private void onBatch(NodeLink from, byte[] bytes, int length) {
        scratchView.wrap(bytes, 0, length);
        int off = 0;
        int delivered = 0;
        while (off < length) {
            if (length - off < Wire.RECORD_HEADER_LENGTH) {
                rejections.reject(
                        "a batch from node "
                                + from.name
                                + " that ends inside a record header ("
                                + (length - off)
                                + " bytes left after "
                                + delivered
                                + " records)",
                        false);
                return;
            }
            byte type = bytes[off + Wire.RECORD_TYPE_OFFSET];
            int exportId = scratchView.getInt(off + Wire.RECORD_EXPORT_ID_OFFSET);
            int len = scratchView.getInt(off + Wire.RECORD_LENGTH_OFFSET);
            int payload = off + Wire.RECORD_HEADER_LENGTH;
            if (len < 0 || len > length - payload) {
                rejections.reject(
                        "a batch from node "
                                + from.name
                                + " whose record "
                                + delivered
                                + " claims "
                                + len
                                + " bytes where "
                                + (length - payload)
                                + " are left",
                        false);
                return;
            }
            if (type == Wire.DATA) {
                deliver(from, exportId, bytes, payload, len);
            } else if (type == Wire.CONTROL) {
                onControl(from, bytes, payload, len);
            } else {
                rejections.reject(
                        "a batch from node "
                                + from.name
                                + " whose record "
                                + delivered
                                + " has type "
                                + type
                                + " (only DATA and CONTROL records are batched)",
                        false);
                return;
            }
            off = payload + len;
            delivered++;
        }
    }

    private void deliver(NodeLink from, int exportId, byte[] bytes, int offset, int length) {
        Exports.Entry target =
                decodeAndDeliver(
                        bytes,
                        offset,
                        length,
                        exportId,
                        "node '" + from.name + "'",
                        rejections,
                        NodeCounters.Kind.MESSAGES_RECEIVED,
                        ActorRef.noSender());
        if (target != null && !target.temporary) {
            gate.delivered(target.ref, exportId);
        }
    }

    /**
     * Decodes a message for the actor exported as {@code exportId} and hands it over if the actor
     * exists and the message is of its protocol; else dead-letters it with the reason, and counts
     * it. Shared by the IPC inbound path (transport thread) and the gateway for messages from other
     * machines (its own thread, with its own {@code rejections}): everything it touches but {@code
     * rejections} is thread-safe.
     *
     * @param from who sent it, for the reasons ("node 'a'", an Artery address)
     * @param received the counter of messages that decoded
     * @return the export the message went to, or null if it was dropped
     */
    Exports.Entry decodeAndDeliver(
            byte[] bytes,
            int offset,
            int length,
            int exportId,
            String from,
            Rejections rejections,
            NodeCounters.Kind received,
            ActorRef sender) {
        Exports.Entry target = exports.get(exportId);
        Object message;
        try {
            message = codec.decode(bytes, offset, length);
        } catch (CodecException e) {
            String what =
                    "a "
                            + length
                            + "-byte message from "
                            + from
                            + " for "
                            + describe(target, exportId)
                            + " on node '"
                            + self.name()
                            + "' that does not decode: "
                            + e.getMessage();
            rejections.reject(what, true);
            deadLetters.drop(
                    what,
                    NodeCounters.Kind.DEAD_LETTERS_UNDECODABLE,
                    "it does not decode",
                    null,
                    target == null ? null : target.ref);
            return null;
        }
        counters.increment(received);
        if (target == null) {
            deadLetters.drop(
                    message,
                    NodeCounters.Kind.DEAD_LETTERS_NO_SUCH_ACTOR,
                    exports.describeMissing(exportId)
                            + " on node '"
                            + self.name()
                            + "' (sent from "
                            + from
                            + ")",
                    null,
                    null);
            return null;
        }
        if (!target.accepts(message)) {
            counters.increment(NodeCounters.Kind.REJECTED_MESSAGES);
            deadLetters.drop(
                    message,
                    NodeCounters.Kind.DEAD_LETTERS_NOT_IN_PROTOCOL,
                    target.notInProtocol(self.name(), message, from),
                    null,
                    target.ref);
            return null;
        }
        target.ref.tell(message, sender);
        if (target.temporary) {
            exports.remove(
                    target.ref); // an ask's reply ref takes one reply; it need not stay exported
        }
        return target;
    }

    private String describe(Exports.Entry target, int exportId) {
        return target == null ? "actor #" + exportId : "actor " + target.describe();
    }

    private void onControl(NodeLink from, byte[] bytes, int offset, int length) {
        Object message;
        try {
            message = codec.decode(bytes, offset, length);
        } catch (CodecException e) {
            rejections.reject(
                    "a control frame from node "
                            + from.name
                            + " that does not decode: "
                            + e.getMessage(),
                    true);
            return;
        }
        if (message instanceof Control control) {
            controls.onControl(from, control);
        } else {
            rejections.reject(
                    "a "
                            + message.getClass().getName()
                            + " in a control frame from node "
                            + from.name,
                    false);
        }
    }

    /** Copies a fragment into the scratch array (the codec reads byte arrays). */
    private byte[] copy(DirectBuffer buffer, int offset, int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        buffer.getBytes(offset, scratch, 0, length);
        return scratch;
    }
}
