package io.troupe.remote.internal;

import akka.serialization.JSerializer;
import java.nio.ByteBuffer;

/**
 * Akka's serializer for {@link ClusterDelivery} (bound in troupe-remote's {@code reference.conf}):
 * a version byte, the incarnation, the export id and the codec's bytes as they are. The bytes come
 * from another machine and are untrusted: a frame that is too short, of another version, or with an
 * identity that cannot be, is refused here with an IllegalArgumentException (Artery logs and drops
 * it); the payload is decoded later, under the codec's limits, by the gateway.
 *
 * <p>Thread safety: stateless.
 */
public final class ClusterDeliverySerializer extends JSerializer {
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
        ClusterDelivery d = (ClusterDelivery) o;
        ByteBuffer b = ByteBuffer.allocate(HEADER + d.payload.length);
        b.put(VERSION).putLong(d.incarnation).putInt(d.exportId).put(d.payload);
        return b.array();
    }

    @Override
    public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
        if (bytes.length < HEADER) {
            throw new IllegalArgumentException(
                    "A Troupe delivery from another machine of "
                            + bytes.length
                            + " bytes, shorter than its "
                            + HEADER
                            + "-byte header: corrupt or forged");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
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
        byte[] payload = new byte[bytes.length - HEADER];
        b.get(payload);
        return new ClusterDelivery(incarnation, exportId, payload);
    }
}
