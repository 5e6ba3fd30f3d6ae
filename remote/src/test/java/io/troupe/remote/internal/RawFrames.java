package io.troupe.remote.internal;

import io.aeron.Aeron;
import io.aeron.AeronCounters;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.driver.status.StreamCounter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

/**
 * Plays a peer that writes whatever bytes it likes onto a node's inbound stream: its own Aeron
 * client and an exclusive publication (so its frames form an Aeron session of their own, as a
 * separate process's would), plus builders for frames in {@link Wire}'s layout. After an offer,
 * {@link #awaitConsumed} waits until the node's transport thread has handled everything offered so
 * far: the subscriber's position counter only moves once the fragment handler returned.
 *
 * <p>Thread safety: not thread-safe; one thread offers.
 */
final class RawFrames implements AutoCloseable {
    private final Aeron aeron;
    private final ExclusivePublication publication;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
    private int subscriberPositionId = CountersReader.NULL_COUNTER_ID;

    private RawFrames(Aeron aeron, ExclusivePublication publication) {
        this.aeron = aeron;
        this.publication = publication;
    }

    /**
     * Connects to the driver in {@code aeronDir} and publishes on the inbound stream of {@code
     * nodeName}'s {@code incarnation}.
     */
    static RawFrames open(Path aeronDir, String nodeName, long incarnation, Duration timeout) {
        return open(aeronDir, nodeName, incarnation, "aeron:ipc?term-length=1m", timeout);
    }

    /**
     * As {@link #open(Path, String, long, Duration)}, on a channel of the caller's choice (term
     * length, linger).
     */
    static RawFrames open(
            Path aeronDir, String nodeName, long incarnation, String channel, Duration timeout) {
        Aeron aeron =
                Aeron.connect(
                        new Aeron.Context()
                                .aeronDirectoryName(aeronDir.toString())
                                .clientName("raw-frames"));
        try {
            ExclusivePublication pub =
                    aeron.addExclusivePublication(channel, streamId(nodeName, incarnation));
            RawFrames raw = new RawFrames(aeron, pub);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!pub.isConnected()
                    || raw.findSubscriberPosition() == CountersReader.NULL_COUNTER_ID) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError(
                            "node "
                                    + nodeName
                                    + " did not subscribe to stream "
                                    + streamId(nodeName, incarnation)
                                    + " within "
                                    + timeout);
                }
                Thread.onSpinWait();
            }
            return raw;
        } catch (RuntimeException | Error e) {
            aeron.close();
            throw e;
        }
    }

    /** The tag of the cluster the hostile-frame tests' nodes run in (the default cluster). */
    static final short CLUSTER_TAG = Wire.clusterTag("default");

    /** A node incarnation's inbound stream id, as {@link Wire} derives it. */
    static int streamId(String nodeName, long incarnation) {
        return Wire.inboundStreamId(nodeName, incarnation);
    }

    /** A frame: the 24-byte header (see {@link Wire}), then {@code body}. */
    static byte[] frame(
            byte type, byte version, int exportId, long sender, long target, byte[] body) {
        ByteBuffer b =
                ByteBuffer.allocate(Wire.HEADER_LENGTH + body.length)
                        .order(ByteOrder.LITTLE_ENDIAN);
        b.put(Wire.TYPE_OFFSET, type)
                .put(Wire.VERSION_OFFSET, version)
                .putShort(Wire.CLUSTER_TAG_OFFSET, CLUSTER_TAG)
                .putInt(Wire.EXPORT_ID_OFFSET, exportId)
                .putLong(Wire.SENDER_OFFSET, sender)
                .putLong(Wire.TARGET_OFFSET, target);
        b.position(Wire.HEADER_LENGTH);
        b.put(body);
        return b.array();
    }

    static byte[] frame(byte type, int exportId, long sender, long target, byte[] body) {
        return frame(type, Wire.VERSION, exportId, sender, target, body);
    }

    /**
     * One record of a BATCH frame's body: type, export id, the length it declares, then {@code
     * bytes}.
     */
    static byte[] batchRecord(byte type, int exportId, int declaredLength, byte[] bytes) {
        ByteBuffer b =
                ByteBuffer.allocate(Wire.RECORD_HEADER_LENGTH + bytes.length)
                        .order(ByteOrder.LITTLE_ENDIAN);
        b.put(type).putInt(exportId).putInt(declaredLength).put(bytes);
        return b.array();
    }

    /** A CHUNK frame's body: the 16-byte chunk header, then {@code bytes}. */
    static byte[] chunkBody(long messageId, int totalLength, int offset, byte[] bytes) {
        ByteBuffer b =
                ByteBuffer.allocate(Wire.CHUNK_HEADER_LENGTH + bytes.length)
                        .order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(messageId).putInt(totalLength).putInt(offset).put(bytes);
        return b.array();
    }

    /**
     * Offers one frame, retrying while the stream pushes back.
     *
     * @return the stream position after the frame
     */
    long offer(byte[] frame, Duration timeout) {
        buffer.wrap(frame);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long r = publication.offer(buffer, 0, frame.length);
            if (r > 0) {
                return r;
            }
            if (r == Publication.CLOSED
                    || r == Publication.MAX_POSITION_EXCEEDED
                    || r == Publication.NOT_CONNECTED) {
                throw new AssertionError(
                        "cannot offer a "
                                + frame.length
                                + "-byte frame: "
                                + Outbound.offerResult(r));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(
                        "the stream pushed back for "
                                + timeout
                                + ": the node stopped reading its inbound stream");
            }
            Thread.onSpinWait();
        }
    }

    /** The publication's position: everything offered so far ends there. */
    long position() {
        return publication.position();
    }

    /** Waits until the node's transport thread has handled every frame up to {@code position}. */
    void awaitConsumed(long position, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CountersReader counters = aeron.countersReader();
        for (int spins = 0; counters.getCounterValue(subscriberPositionId) < position; spins++) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(
                        "the node did not consume its inbound stream up to "
                                + position
                                + " within "
                                + timeout
                                + " (it is at "
                                + counters.getCounterValue(subscriberPositionId)
                                + "): its transport thread hangs");
            }
            if (spins > 1_000) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    int sessionId() {
        return publication.sessionId();
    }

    /** The largest frame one offer may carry on this publication's channel. */
    int maxFrameLength() {
        return publication.maxMessageLength();
    }

    /** Whether the node's subscription still has an image of this publication's session. */
    boolean subscriberHasImage() {
        return findSubscriberPosition() != CountersReader.NULL_COUNTER_ID;
    }

    private int findSubscriberPosition() {
        CountersReader counters = aeron.countersReader();
        int[] found = {CountersReader.NULL_COUNTER_ID};
        counters.forEach(
                (id, typeId, key, label) -> {
                    if (typeId == AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID
                            && key.getInt(StreamCounter.SESSION_ID_OFFSET)
                                    == publication.sessionId()
                            && key.getInt(StreamCounter.STREAM_ID_OFFSET)
                                    == publication.streamId()) {
                        found[0] = id;
                    }
                });
        subscriberPositionId = found[0];
        return found[0];
    }

    @Override
    public void close() {
        CloseHelper.quietCloseAll(publication, aeron);
    }
}
