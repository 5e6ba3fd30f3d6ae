package io.troupe.core.internal.codec;

/**
 * Implemented by the codec's own {@code Output}: writes an ASCII string without allocating.
 *
 * <p>Thread safety: as the Output that implements it (single-threaded).
 */
public interface AsciiWriter {
    /**
     * @return false, having written nothing, if the string is not pure ASCII
     */
    boolean writeAsciiString(String s);
}
