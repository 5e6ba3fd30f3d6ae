package io.troupe.remote.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The bytes of a delivery from another machine are untrusted: bad frames are refused, named. */
class ClusterDeliverySerializerTest {
    private final ClusterDeliverySerializer serializer = new ClusterDeliverySerializer();

    @Test
    void shouldCarryIdentityAndPayloadAsTheyAre() {
        byte[] payload = {1, 2, 3, 4, 5};
        byte[] bytes = serializer.toBinary(new ClusterDelivery(0x1234_5678_9abcL, 42, payload));
        ClusterDelivery d = (ClusterDelivery) serializer.fromBinaryJava(bytes, null);
        assertEquals(0x1234_5678_9abcL, d.incarnation);
        assertEquals(42, d.exportId);
        assertArrayEquals(payload, d.payload);
    }

    @Test
    void shouldWriteTheSameBytesIntoArterysLittleEndianBufferAndLeaveItsOrder() {
        ClusterDelivery d = new ClusterDelivery(0x0102_0304_0506_0708L, 0x0a0b0c0d, new byte[] {9});
        java.nio.ByteBuffer buf =
                java.nio.ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        serializer.toBinary(d, buf);
        assertEquals(java.nio.ByteOrder.LITTLE_ENDIAN, buf.order());
        byte[] written = java.util.Arrays.copyOf(buf.array(), buf.position());
        assertArrayEquals(serializer.toBinary(d), written);
        buf.flip();
        ClusterDelivery back = (ClusterDelivery) serializer.fromBinary(buf, "");
        assertEquals(d.incarnation, back.incarnation);
        assertEquals(d.exportId, back.exportId);
        assertArrayEquals(d.payload, back.payload);
        assertEquals(java.nio.ByteOrder.LITTLE_ENDIAN, buf.order());
    }

    @Test
    void shouldRefuseAFrameShorterThanItsHeader() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> serializer.fromBinaryJava(new byte[5], null));
        assertTrue(
                e.getMessage().contains("of 5 bytes, shorter than its 13-byte header"),
                e.getMessage());
    }

    @Test
    void shouldRefuseAnotherFormatVersionNamingBoth() {
        byte[] bytes = ByteBuffer.allocate(13).put((byte) 9).putLong(1).putInt(1).array();
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> serializer.fromBinaryJava(bytes, null));
        assertTrue(
                e.getMessage().contains("format version 9; this node reads version 1"),
                e.getMessage());
    }

    @Test
    void shouldRefuseAnIdentityThatCannotBe() {
        for (long[] bad : new long[][] {{0, 1}, {1, 0}, {-5, 3}, {7, -1}}) {
            byte[] bytes =
                    ByteBuffer.allocate(13)
                            .put((byte) 1)
                            .putLong(bad[0])
                            .putInt((int) bad[1])
                            .array();
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> serializer.fromBinaryJava(bytes, null));
            assertTrue(
                    e.getMessage().contains("incarnation " + bad[0] + ", export id " + bad[1]),
                    e.getMessage());
        }
    }
}
