package io.troupe.core.codec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.io.Output;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Decoding allocates in proportion to the bytes a frame holds, never to what it declares: a count
 * or length is a claim, checked against the bytes left, and arrays grow with the elements actually
 * read. Without that, collections nested inside each other could each reserve room for the whole
 * frame, and a 16 MiB frame would cost gigabytes.
 */
class CodecAllocationTest {
    /** Room for an exception and its stack trace, which do not depend on the frame. */
    private static final long SLACK = 64 * 1024;

    /** Bytes a decode may allocate per byte of frame (objects, arrays, the immutable copies). */
    private static final long PER_BYTE = 64;

    /** The fixed wire ids of List, Set and Map messages (DynamicSerializers). */
    private static final int LIST_ID = 48;

    private static final int SET_ID = 49;
    private static final int MAP_ID = 50;

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final MessageCodec codec = MessageCodec.create();

    {
        codec.register(FuzzProtocol.Msg.class);
        codec.register(Samples.Command.class);
    }

    @Test
    void shouldRejectTheFuzzFindingWithoutRenderingItsElements() {
        // The 67-byte frame the fuzzing pass found on Temurin 25 (issue 11, hole 12); it is also in
        // the fuzz corpus as finding-set-of-records-548k.
        byte[] frame =
                HexFormat.of()
                        .parseHex(
                                "322726142a3304da9db5130101010000019db51301f80000008000260204da9db513"
                                        + "0101010000019db51301f800000080002602a9010000019d01f8c3c7de0226022a");
        // A set of Boxed records that holds one twice. Set.of said so with the record's toString:
        // the first such call in a JVM allocated ~1 MB for this 67-byte frame, and every call
        // copied decoded (untrusted) contents into the error message and the logs.
        CodecException e = assertBoundedDecode(frame, "the fuzz finding");
        assertTrue(
                e.getMessage().contains("a Set message holds a repeated element (at index 2)"),
                e.getMessage());
        assertFalse(e.getMessage().contains("Boxed["), e.getMessage());
    }

    @Test
    void shouldAllocateInProportionToTheBytesWhenNestedListsEachClaimTheWholeFrame() {
        // 60 List messages nested in each other, each declaring as many elements as there are
        // bytes left; the innermost holds 256 Ki null elements. Reserving each claim up front
        // would allocate 60 x 4 bytes x 256 Ki = 60 MiB for a 256 KiB frame.
        byte[] frame = nestedClaims(LIST_ID, 60, 256 * 1024);
        assertBoundedDecode(frame, "nested List claims");
    }

    @Test
    void shouldAllocateInProportionToTheBytesWhenNestedMapsEachClaimTheWholeFrame() {
        byte[] frame = nestedClaims(MAP_ID, 60, 256 * 1024);
        assertBoundedDecode(frame, "nested Map claims");
    }

    @Test
    void shouldAllocateInProportionToTheBytesWhenNestedSetsEachClaimTheWholeFrame() {
        byte[] frame = nestedClaims(SET_ID, 60, 256 * 1024);
        assertBoundedDecode(frame, "nested Set claims");
    }

    @Test
    void shouldAllocateInProportionToTheBytesWhenADeclaredComponentClaimsTheWholeFrame() {
        // Holder(List<String> names) declaring a million names, followed by 1,000 empty ones.
        Output out = new Output(4096, -1);
        out.writeVarInt(MessageCodec.wireId(Samples.Holder.class) + 2, true);
        out.writeVarInt(1_000_000 + 1, true);
        for (int i = 0; i < 1000; i++) {
            out.writeByte(1); // ""
        }
        byte[] frame = out.toBytes();
        CodecException e = assertBoundedDecode(frame, "a declared list claim");
        assertTrue(e.getMessage().contains("only 1000 bytes are left"), e.getMessage());
    }

    /**
     * {@code levels} collection messages (List, Set or Map) nested in each other, each declaring as
     * many elements as there are bytes after its count, then {@code filler} zero bytes (null
     * elements).
     */
    private static byte[] nestedClaims(int typeId, int levels, int filler) {
        int[] counts = new int[levels];
        int after = filler;
        for (int k = levels - 1; k >= 0; k--) {
            counts[k] = after;
            after += 1 + varIntLength(counts[k] + 1); // its type id, then its count
        }
        Output out = new Output(after, after);
        for (int k = 0; k < levels; k++) {
            out.writeVarInt(typeId + 2, true);
            out.writeVarInt(counts[k] + 1, true);
        }
        out.writeBytes(new byte[filler]);
        return out.toBytes();
    }

    private static int varIntLength(int v) {
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    /**
     * Decodes {@code frame} twice and measures the second time: the first decode of a shape in a
     * JVM pays one-time costs (class loading, method-handle bootstraps) that are not the frame's.
     */
    private CodecException assertBoundedDecode(byte[] frame, String what) {
        assertThrows(CodecException.class, () -> codec.decode(frame));
        long before = THREADS.getCurrentThreadAllocatedBytes();
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(frame));
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertWithinBounds(allocated, frame, what + " (" + e.getMessage() + ")");
        return e;
    }

    private static void assertWithinBounds(long allocated, byte[] frame, String what) {
        long allowed = SLACK + PER_BYTE * frame.length;
        assertTrue(
                allocated <= allowed,
                "decoding "
                        + what
                        + ", a "
                        + frame.length
                        + "-byte frame, allocated "
                        + allocated
                        + " bytes; allowed "
                        + allowed);
    }
}
