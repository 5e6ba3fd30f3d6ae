package io.troupe.core.codec;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.troupe.core.internal.codec.AsciiWriter;
import java.nio.charset.StandardCharsets;

/**
 * The codec's primitives for variable-length data, shared with {@link ActorRefCodec}
 * implementations. Every reader checks a declared length against its limit and against the bytes
 * actually left before it allocates.
 *
 * <p>Strings are written as a varint of (UTF-8 length + 1), 0 meaning null, then the bytes.
 *
 * <p>Thread safety: stateless.
 */
public final class WireFormat {
    private WireFormat() {}

    public static void writeString(Output output, String s) {
        if (s == null) {
            output.writeByte(0);
            return;
        }
        if (output instanceof AsciiWriter ascii && ascii.writeAsciiString(s)) {
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        output.writeVarInt(bytes.length + 1, true);
        output.writeBytes(bytes);
    }

    /**
     * Reads a string (or null) written by {@link #writeString}; {@code what} names it in errors.
     */
    public static String readString(Input input, CodecLimits limits, String what) {
        int n = input.readVarInt(true) - 1;
        if (n == -1) {
            return null;
        }
        checkLength(input, n, limits.maxStringBytes(), what, "max-string-bytes");
        int pos = input.position();
        String s = new String(input.getBuffer(), pos, n, StandardCharsets.UTF_8);
        input.setPosition(pos + n);
        return s;
    }

    /**
     * Reads a varint count of elements and checks it against {@code max} and against the bytes
     * left, assuming each element takes at least one byte.
     */
    public static int readCount(Input input, int max, String what, String limitKey) {
        int n = input.readVarInt(true);
        checkLength(input, n, max, what, limitKey);
        return n;
    }

    /**
     * Reads a varint of (count + 1), 0 meaning null, and checks the count like {@link #readCount}.
     *
     * @return the count, or -1 for null
     */
    public static int readNullableCount(Input input, int max, String what, String limitKey) {
        int v = input.readVarInt(true);
        if (v == 0) {
            return -1;
        }
        checkLength(input, v - 1, max, what, limitKey);
        return v - 1;
    }

    static void checkLength(Input input, int n, int max, String what, String limitKey) {
        if (n < 0) {
            throw new CodecException(
                    "Corrupt frame: " + what + " declares a negative length (" + n + ")");
        }
        if (n > max) {
            throw new CodecException(
                    "Frame rejected: "
                            + what
                            + " declares "
                            + n
                            + " elements/bytes, over the limit "
                            + limitKey
                            + " = "
                            + max
                            + " (raise troupe.core.codec."
                            + limitKey
                            + " if such messages are expected)");
        }
        int left = input.limit() - input.position();
        if (n > left) {
            throw new CodecException(
                    "Truncated frame: "
                            + what
                            + " declares "
                            + n
                            + " elements/bytes but only "
                            + left
                            + " bytes are left");
        }
    }
}
