package io.troupe.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.io.Output;
import io.troupe.core.Bytes;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Bytes} in messages: encoded as a length and the raw bytes, bounded by the message size.
 */
class BytesCodecTest {
    private final MessageCodec codec = MessageCodec.create();

    {
        codec.register(Samples.Command.class);
    }

    private static Bytes random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return Bytes.copyOf(b);
    }

    private Object roundTrip(Object message) {
        return codec.decode(codec.encode(message));
    }

    @Test
    void shouldRoundTripBytesInRecordsCollectionsAndAlone() {
        Bytes data = random(1000, 1);
        List<Object> messages =
                List.of(
                        new Samples.Blob("a", data, Optional.of(data.slice(10, 20))),
                        new Samples.Blob("empty", Bytes.empty(), Optional.empty()),
                        new Samples.Blob("null", null, Optional.empty()),
                        new Samples.Envelope(new Samples.Blob("in", data, Optional.empty())),
                        data,
                        data.slice(500, 501),
                        List.of(data, Bytes.empty()),
                        Map.of("k", data),
                        Optional.of(data));
        for (Object m : messages) {
            assertEquals(m, roundTrip(m), () -> "round trip of " + m);
        }
    }

    @Test
    void shouldWriteTheRawBytesWithNoPerByteOverhead() {
        int n = 1 << 20;
        Samples.Blob blob = new Samples.Blob("", random(n, 2), Optional.empty());
        // Type id (4), name (1), not-null marker (1), length (3), the bytes, empty Optional (1).
        assertEquals(4 + 1 + 1 + 3 + n + 1, codec.encode(blob).length);
        assertEquals("2c03010203", hex(codec.encode(Bytes.copyOf(new byte[] {1, 2, 3}))));
    }

    @Test
    void shouldCarry16MiBWithTheDefaultLimits() {
        Samples.Blob blob = new Samples.Blob("big", random(16 * 1024 * 1024, 3), Optional.empty());
        assertEquals(blob, roundTrip(blob));
    }

    @Test
    void shouldRefuseBytesLargerThanTheMessageLimitAtEncode() {
        MessageCodec small = new MessageCodec(CodecLimits.defaults().withMaxMessageBytes(1000));
        small.register(Samples.Command.class);
        Samples.Blob blob = new Samples.Blob("big", random(1001, 4), Optional.empty());
        CodecException e = assertThrows(CodecException.class, () -> small.encode(blob));
        assertTrue(
                e.getMessage().contains("Cannot encode " + Samples.Blob.class.getName())
                        && e.getMessage()
                                .contains(
                                        "Samples.Blob.data (in "
                                                + Samples.Blob.class.getName()
                                                + ") holds a Bytes of 1001 bytes")
                        && e.getMessage()
                                .contains(
                                        "over the limit troupe.core.codec.max-message-bytes = 1000"),
                e.getMessage());
        // Under the Bytes limit, but the whole message is over it: the message-size error.
        Samples.Blob nearly = new Samples.Blob("big", random(998, 5), Optional.empty());
        CodecException whole = assertThrows(CodecException.class, () -> small.encode(nearly));
        assertTrue(
                whole.getMessage().contains("its encoding is 1010 bytes")
                        && whole.getMessage().contains("max-message-bytes = 1000"),
                whole.getMessage());
    }

    @Test
    void shouldRejectHostileLengthsBeforeCopying() {
        // A Bytes message declaring more bytes than the frame holds.
        CodecException truncated =
                assertThrows(
                        CodecException.class, () -> codec.decode(frame(1_000_000, new byte[10])));
        assertTrue(
                truncated.getMessage().contains("Truncated frame: a Bytes declares 1000000")
                        && truncated.getMessage().contains("only 10 bytes are left"),
                truncated.getMessage());
        // Declaring more than max-message-bytes.
        CodecException over =
                assertThrows(
                        CodecException.class,
                        () -> codec.decode(frame(Integer.MAX_VALUE, new byte[10])));
        assertTrue(over.getMessage().contains("max-message-bytes"), over.getMessage());
        // A negative length (a varint that overflows int).
        CodecException negative =
                assertThrows(CodecException.class, () -> codec.decode(frame(-5, new byte[10])));
        assertTrue(negative.getMessage().contains("negative"), negative.getMessage());
        // Exactly the bytes present: fine.
        assertEquals(Bytes.copyOf(new byte[3]), codec.decode(frame(3, new byte[3])));
        // Every truncation of a valid frame is refused.
        byte[] full = codec.encode(new Samples.Blob("x", random(100, 6), Optional.empty()));
        for (int len = 1; len < full.length; len++) {
            int l = len;
            assertThrows(CodecException.class, () -> codec.decode(full, 0, l));
        }
    }

    @Test
    void shouldNotRetainTheDecodeBuffer() {
        byte[] frame = codec.encode(Bytes.copyOf(new byte[] {7, 8, 9}));
        Bytes decoded = (Bytes) codec.decode(frame);
        frame[2] = 0;
        assertEquals(Bytes.copyOf(new byte[] {7, 8, 9}), decoded);
    }

    /** A Bytes message (fixed wire id 42) declaring {@code length}, followed by {@code body}. */
    private static byte[] frame(int length, byte[] body) {
        Output out = new Output(64, -1);
        out.writeVarInt(42 + 2, true);
        out.writeVarInt(length, true);
        out.writeBytes(body);
        return out.toBytes();
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
