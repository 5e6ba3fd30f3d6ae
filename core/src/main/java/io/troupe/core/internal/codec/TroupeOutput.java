package io.troupe.core.internal.codec;

import com.esotericsoftware.kryo.io.Output;

/**
 * Kryo's {@link Output} with an allocation-free path for ASCII strings (the common case for names,
 * ids and keys): their bytes are copied straight from the string into the buffer, where {@code
 * String.getBytes(UTF_8)} would allocate an array per string.
 *
 * <p>Thread safety: not thread-safe, like every Output; one per Kryo session.
 */
final class TroupeOutput extends Output implements AsciiWriter {
    TroupeOutput(int bufferSize, int maxBufferSize) {
        super(bufferSize, maxBufferSize);
    }

    /**
     * Writes {@code s} as {@link io.troupe.core.codec.WireFormat} does (varint of length + 1, then
     * the UTF-8 bytes) if it is pure ASCII.
     *
     * @return false, having written nothing, if {@code s} has a non-ASCII character
     */
    @SuppressWarnings("deprecation")
    @Override
    public boolean writeAsciiString(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        writeVarInt(n + 1, true);
        require(n);
        s.getBytes(
                0, n, buffer,
                position); // ASCII: one byte per char, the JDK copies Latin-1 strings directly
        position += n;
        return true;
    }
}
