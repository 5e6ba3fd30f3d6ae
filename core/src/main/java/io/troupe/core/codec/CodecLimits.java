package io.troupe.core.codec;

import com.typesafe.config.Config;

/**
 * Limits the codec enforces, on both sides. Encoding checks every value against them, so that a
 * message the receiver would refuse fails at the sender with a {@link CodecException} that names
 * the message class, the component, the size found, the limit and the setting. Decoding checks
 * every declared length against them and against the bytes actually present, and allocates only as
 * the bytes arrive, so hostile input cannot make it allocate much more than the frame it was given.
 *
 * <p>Thread safety: immutable.
 *
 * @param maxMessageBytes the largest encoded message written or accepted
 * @param maxStringBytes the longest string, in UTF-8 bytes (also bounds {@code BigInteger}s)
 * @param maxCollectionSize the most elements in one {@code List}, {@code Set} or {@code Map}
 * @param maxDepth the deepest nesting of records followed
 */
public record CodecLimits(
        int maxMessageBytes, int maxStringBytes, int maxCollectionSize, int maxDepth) {
    /** 16 MiB of payload plus 64 KiB of headroom. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024 + 64 * 1024;

    public CodecLimits {
        positive("max-message-bytes", maxMessageBytes);
        positive("max-string-bytes", maxStringBytes);
        positive("max-collection-size", maxCollectionSize);
        positive("max-depth", maxDepth);
    }

    public static CodecLimits defaults() {
        return new CodecLimits(DEFAULT_MAX_MESSAGE_BYTES, 16 * 1024 * 1024, 1 << 20, 64);
    }

    /** Reads {@code troupe.core.codec} (see core's reference.conf). */
    public static CodecLimits fromConfig(Config config) {
        Config c = config.getConfig("troupe.core.codec");
        return new CodecLimits(
                intBytes(c, "max-message-bytes"),
                intBytes(c, "max-string-bytes"),
                c.getInt("max-collection-size"),
                c.getInt("max-depth"));
    }

    /** A copy with another message-size limit. */
    public CodecLimits withMaxMessageBytes(int bytes) {
        return new CodecLimits(bytes, maxStringBytes, maxCollectionSize, maxDepth);
    }

    private static int intBytes(Config c, String key) {
        long v = c.getBytes(key);
        if (v > Integer.MAX_VALUE - 64) {
            throw new CodecException(
                    "troupe.core.codec."
                            + key
                            + " = "
                            + v
                            + " bytes is too large: it must be below 2 GiB");
        }
        return (int) v;
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new CodecException(
                    "troupe.core.codec." + key + " = " + value + " must be positive");
        }
    }
}
