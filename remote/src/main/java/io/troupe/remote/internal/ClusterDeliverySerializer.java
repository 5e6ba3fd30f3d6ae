package io.troupe.remote.internal;

import akka.serialization.JSerializer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Akka's serializer for {@link ClusterDelivery} (bound in troupe-remote's {@code reference.conf}):
 * a version byte, the incarnation, the export id and the codec's bytes as they are. The bytes come
 * from another machine and are untrusted: a frame that is too short, of another version, or with an
 * identity that cannot be, is refused here with an IllegalArgumentException (Artery logs and drops
 * it); the payload is decoded later, under the codec's limits, by the gateway.
 *
 * <p>Thread safety: stateless.
 */
public final class ClusterDeliverySerializer extends JSerializer
        implements akka.serialization.ByteBufferSerializer {
    /** Akka serializer id ("trov" in ASCII); TroupeSerializer is "trou". */
    public static final int IDENTIFIER = 0x74726f76;

    private static final byte VERSION = 1;
    private static final int HEADER = 1 + 8 + 4;

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public boolean includeManifest() {
        return false;
    }

    @Override
    public byte[] toBinary(Object o) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + ((ClusterDelivery) o).payload.length);
        toBinary(o, b);
        return b.array();
    }

    /**
     * Artery's path: straight into its envelope buffer, no array in between. Big-endian whatever
     * the buffer's order (Artery's is little-endian), restored afterwards.
     */
    @Override
    public void toBinary(Object o, ByteBuffer buf) {
        ClusterDelivery d = (ClusterDelivery) o;
        ByteOrder order = buf.order();
        buf.order(ByteOrder.BIG_ENDIAN);
        try {
            buf.put(VERSION).putLong(d.incarnation).putInt(d.exportId).put(d.payload);
        } finally {
            buf.order(order);
        }
    }

    @Override
    public Object fromBinary(ByteBuffer buf, String manifest) {
        ByteOrder order = buf.order();
        buf.order(ByteOrder.BIG_ENDIAN);
        try {
            return read(buf);
        } finally {
            buf.order(order);
        }
    }

    @Override
    public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
        return read(ByteBuffer.wrap(bytes));
    }

    private static ClusterDelivery read(ByteBuffer b) {
        int length = b.remaining();
        if (length < HEADER) {
            throw new IllegalArgumentException(
                    "A Troupe delivery from another machine of "
                            + length
                            + " bytes, shorter than its "
                            + HEADER
                            + "-byte header: corrupt or forged");
        }
        byte version = b.get();
        if (version != VERSION) {
            throw new IllegalArgumentException(
                    "A Troupe delivery from another machine in format version "
                            + version
                            + "; this node reads version "
                            + VERSION
                            + ". Run the same Troupe version on every machine of the cluster");
        }
        long incarnation = b.getLong();
        int exportId = b.getInt();
        if (incarnation <= 0 || exportId <= 0) {
            throw new IllegalArgumentException(
                    "A Troupe delivery from another machine for incarnation "
                            + incarnation
                            + ", export id "
                            + exportId
                            + " (both must be positive): corrupt or forged");
        }
        byte[] payload = new byte[length - HEADER];
        b.get(payload);
        return new ClusterDelivery(incarnation, exportId, payload);
    }
}
