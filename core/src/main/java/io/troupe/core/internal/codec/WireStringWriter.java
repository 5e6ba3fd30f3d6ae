package io.troupe.core.internal.codec;

/**
 * Implemented by the codec's own {@code Output}: writes a string as {@link
 * io.troupe.core.codec.WireFormat} does, checking it against {@code max-string-bytes} first (so the
 * sender, not the receiver, finds an over-long string) and without allocating for ASCII.
 *
 * <p>Thread safety: as the Output that implements it (single-threaded).
 */
public interface WireStringWriter {
    /**
     * Writes a non-null string: a varint of (UTF-8 length + 1), then the bytes.
     *
     * @throws io.troupe.core.codec.CodecException if it is longer than {@code max-string-bytes}
     */
    void writeWireString(String s);
}
