package io.troupe.core.internal.codec;

import com.esotericsoftware.kryo.io.Output;
import io.troupe.core.codec.CodecException;
import io.troupe.core.codec.CodecLimits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Kryo's {@link Output} for one Kryo session, with two additions.
 *
 * <ul>
 *   <li>It knows what it is encoding (the message's class, the record component being written), so
 *       that a value over one of the {@link CodecLimits} fails at the sender with a message that
 *       names both: every limit the receiver enforces when decoding is checked here first.
 *   <li>An allocation-free path for ASCII strings (the common case for names, ids and keys): their
 *       bytes are copied straight from the string into the buffer, where {@code
 *       String.getBytes(UTF_8)} would allocate an array per string.
 * </ul>
 *
 * <p>Thread safety: not thread-safe, like every Output; one per Kryo session.
 */
final class TroupeOutput extends Output implements WireStringWriter {
    private final CodecLimits limits;
    private Class<?> message;
    private String component;

    TroupeOutput(CodecLimits limits) {
        super(Math.min(4096, limits.maxMessageBytes()), limits.maxMessageBytes());
        this.limits = limits;
    }

    CodecLimits limits() {
        return limits;
    }

    /** Starts encoding a message of this class: empties the buffer and the context. */
    void begin(Class<?> messageClass) {
        reset();
        message = messageClass;
        component = null;
    }

    /**
     * The record component about to be written, e.g. {@code "Order.items (in shop.Order)"}; named
     * by errors until the next component starts.
     */
    void component(String where) {
        component = where;
    }

    String component() {
        return component;
    }

    /** The class of the message being encoded, for errors. */
    String messageName() {
        return message != null ? message.getName() : "the message";
    }

    @SuppressWarnings("deprecation")
    @Override
    public void writeWireString(String s) {
        int n = s.length();
        int max = limits.maxStringBytes();
        if (n > max) {
            // Every char is at least one UTF-8 byte: over the limit whatever it holds.
            throw overLimit(
                    "a String of " + utf8Length(s) + " UTF-8 bytes", max, "max-string-bytes");
        }
        if (isAscii(s)) {
            writeVarInt(n + 1, true);
            require(n);
            // ASCII: one byte per char, the JDK copies Latin-1 strings directly.
            s.getBytes(0, n, buffer, position);
            position += n;
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > max) {
            throw overLimit(
                    "a String of " + bytes.length + " UTF-8 bytes", max, "max-string-bytes");
        }
        writeVarInt(bytes.length + 1, true);
        writeBytes(bytes);
    }

    /** Copies the rest of {@code src} into the buffer, growing it up to max-message-bytes. */
    void writeBuffer(ByteBuffer src) {
        int n = src.remaining();
        require(n);
        src.get(buffer, position, n);
        position += n;
    }

    /**
     * The error for a value over a limit: names the message, the component, what was found, the
     * limit and the setting to change.
     *
     * @param found what the value is, e.g. {@code "a List of 2000000 elements"}
     */
    CodecException overLimit(String found, int limit, String key) {
        return overLimit(component, found, limit, key);
    }

    /** As {@link #overLimit(String, int, String)}, naming {@code where} (if not null). */
    CodecException overLimit(String where, String found, int limit, String key) {
        return new CodecException(
                "Cannot encode "
                        + messageName()
                        + ": "
                        + (where != null ? where + " holds " : "it holds ")
                        + found
                        + ", over the limit troupe.core.codec."
                        + key
                        + " = "
                        + limit
                        + ", so the receiving node would reject it. Send less in one message (split"
                        + " it), or raise troupe.core.codec."
                        + key
                        + " on every node (each checks it when it sends and when it receives).");
    }

    private static boolean isAscii(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static long utf8Length(String s) {
        long bytes = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < n
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += Character.isSurrogate(c) ? 1 : 3; // a lone surrogate becomes '?'
            }
        }
        return bytes;
    }
}
