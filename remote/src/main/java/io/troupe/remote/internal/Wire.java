package io.troupe.remote.internal;

import io.troupe.remote.driver.LayoutMarker;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The frame layout on a node's inbound stream. Every frame starts with a fixed 24-byte header,
 * little-endian, 8-byte aligned fields:
 *
 * <pre>
 *  0  byte  type            DATA, CONTROL, CHUNK or BATCH
 *  1  byte  version         {@link #VERSION}
 *  2  short cluster tag     {@link #clusterTag(String)} of the sender's cluster
 *  4  int   target export id (DATA, CHUNK; 0 for CONTROL)
 *  8  long  sender incarnation
 * 16  long  target incarnation
 * 24  ...   payload: codec bytes (DATA, CONTROL), a chunk (CHUNK), or records (BATCH)
 * </pre>
 *
 * A CHUNK payload is {@code long messageId, int totalLength, int offset} and then bytes; the chunks
 * of one message arrive in order on one stream, and together form a DATA payload.
 *
 * <p>A BATCH payload (export id 0) is a run of records, each {@code byte type} (DATA or CONTROL),
 * {@code int exportId}, {@code int length} and then {@code length} codec bytes: what waited for a
 * back-pressured stream, sent with one offer per frame. A batch frame never exceeds the
 * publication's MTU payload, so Aeron never fragments one.
 *
 * <p>The membership stream carries codec-encoded {@link Control} records with no header.
 *
 * <p>Thread safety: stateless.
 */
final class Wire {
    static final byte DATA = 1;
    static final byte CONTROL = 2;
    static final byte CHUNK = 3;
    static final byte BATCH = 4;

    /**
     * The wire version (3: the cluster tag in the header and the cluster name in heartbeats; 2
     * added BATCH frames); the Aeron directory's layout marker records it.
     */
    static final byte VERSION = (byte) LayoutMarker.WIRE_VERSION;

    static final int HEADER_LENGTH = 24;
    static final int CHUNK_HEADER_LENGTH = 16;
    static final int RECORD_TYPE_OFFSET = 0;
    static final int RECORD_EXPORT_ID_OFFSET = 1;
    static final int RECORD_LENGTH_OFFSET = 5;
    static final int RECORD_HEADER_LENGTH = 9;

    static final int TYPE_OFFSET = 0;
    static final int VERSION_OFFSET = 1;
    static final int CLUSTER_TAG_OFFSET = 2;
    static final int EXPORT_ID_OFFSET = 4;
    static final int SENDER_OFFSET = 8;
    static final int TARGET_OFFSET = 16;

    /** The membership stream every node of a cluster publishes heartbeats on. */
    static final int MEMBERSHIP_STREAM_ID = 1001;

    private Wire() {}

    static void writeHeader(
            MutableDirectBuffer b,
            byte type,
            short clusterTag,
            int exportId,
            long sender,
            long target) {
        b.putByte(TYPE_OFFSET, type);
        b.putByte(VERSION_OFFSET, VERSION);
        b.putShort(CLUSTER_TAG_OFFSET, clusterTag);
        b.putInt(EXPORT_ID_OFFSET, exportId);
        b.putLong(SENDER_OFFSET, sender);
        b.putLong(TARGET_OFFSET, target);
    }

    static byte type(DirectBuffer b, int offset) {
        return b.getByte(offset + TYPE_OFFSET);
    }

    static byte version(DirectBuffer b, int offset) {
        return b.getByte(offset + VERSION_OFFSET);
    }

    static short clusterTag(DirectBuffer b, int offset) {
        return b.getShort(offset + CLUSTER_TAG_OFFSET);
    }

    /**
     * A 16-bit hash of a cluster name. Frames carry it so that a frame from a node of another
     * cluster sharing the Aeron directory is refused even before its sender is looked up; the full
     * name travels in heartbeats, which decide membership.
     */
    static short clusterTag(String cluster) {
        int h = 0x811c9dc5;
        for (int i = 0; i < cluster.length(); i++) {
            h ^= cluster.charAt(i);
            h *= 0x01000193;
        }
        return (short) (h ^ (h >>> 16));
    }

    static int exportId(DirectBuffer b, int offset) {
        return b.getInt(offset + EXPORT_ID_OFFSET);
    }

    static long sender(DirectBuffer b, int offset) {
        return b.getLong(offset + SENDER_OFFSET);
    }

    static long target(DirectBuffer b, int offset) {
        return b.getLong(offset + TARGET_OFFSET);
    }

    /**
     * A node incarnation's inbound stream id, from its name and incarnation. Per incarnation, not
     * per name: a SIGKILLed process's subscription stays registered with the media driver until the
     * driver times its client out ({@code driver.client-liveness-timeout}), and on a shared stream
     * its frozen position would hold back every publication to its successor for that long (a stall
     * the soak test found). The price is that a restart leaves the dead log in {@code /dev/shm}
     * until the driver reaps it, seconds later.
     */
    static int inboundStreamId(String nodeName, long incarnation) {
        int h = 0x811c9dc5;
        for (int i = 0; i < nodeName.length(); i++) {
            h ^= nodeName.charAt(i);
            h *= 0x01000193;
        }
        for (int i = 0; i < 8; i++) {
            h ^= (int) (incarnation >>> (8 * i)) & 0xff;
            h *= 0x01000193;
        }
        return 0x10000 + (h & 0x3fff_ffff) % 0x3fff_0000;
    }
}
