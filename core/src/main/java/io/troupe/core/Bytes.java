package io.troupe.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable sequence of bytes, for binary payloads in messages: images, files, buffers, anything
 * a {@code byte[]} would hold if arrays were not mutable (and so refused by the {@link
 * ProtocolCheck}).
 *
 * <pre>
 * public record Thumbnail(String name, Bytes png) implements Command {}
 *
 * actor.tell(new Thumbnail("cat", Bytes.copyOf(Files.readAllBytes(path))));
 * ...
 * ImageIO.read(thumbnail.png().asInputStream());
 * </pre>
 *
 * <p>Like Akka's {@code ByteString}: the bytes are copied once, when a {@code Bytes} is made, and
 * never again handed out: {@link #toArray()} copies, {@link #asReadOnlyByteBuffer()} and {@link
 * #asInputStream()} are read-only views, and {@link #slice} shares the storage of its source
 * (safely, as nothing can change it). Equality is by content.
 *
 * <p>On the wire a {@code Bytes} is its length and the raw bytes, with no per-byte overhead, so it
 * is the way to send binary data (a {@code List<Byte>} costs two or more bytes per byte and stops
 * at {@code max-collection-size}). One {@code Bytes} may be as large as the codec's {@code
 * max-message-bytes} allows for the whole message (16 MiB of payload by default); a larger one
 * fails at the sender with a {@link io.troupe.core.codec.CodecException} that says so.
 *
 * <p>Thread safety: immutable; share it freely between threads and actors. (The {@link InputStream}
 * of {@link #asInputStream()} is, like any stream, for one thread at a time.)
 */
public final class Bytes {
    private static final Bytes EMPTY = new Bytes(new byte[0], 0, 0);

    /** Bytes shown by {@link #toString()}. */
    private static final int PREVIEW = 16;

    // Never written after construction, never handed out: every public path copies or wraps
    // read-only. The range [offset, offset + length) is this value; a slice shares the array.
    private final byte[] array;
    private final int offset;
    private final int length;

    private Bytes(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    /** The empty value. */
    public static Bytes empty() {
        return EMPTY;
    }

    /** A copy of {@code bytes}: later changes to the array do not show. */
    public static Bytes copyOf(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return copyOf(bytes, 0, bytes.length);
    }

    /** A copy of {@code length} bytes of {@code bytes} from {@code offset}. */
    public static Bytes copyOf(byte[] bytes, int offset, int length) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return EMPTY;
        }
        return new Bytes(Arrays.copyOfRange(bytes, offset, offset + length), 0, length);
    }

    /**
     * A copy of the bytes between {@code buffer}'s position and limit. The buffer's position is not
     * changed.
     */
    public static Bytes copyOf(ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        int n = buffer.remaining();
        if (n == 0) {
            return EMPTY;
        }
        byte[] copy = new byte[n];
        buffer.duplicate().get(copy);
        return new Bytes(copy, 0, n);
    }

    /** The number of bytes. */
    public int size() {
        return length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    /**
     * The byte at {@code index}.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
     */
    public byte byteAt(int index) {
        Objects.checkIndex(index, length);
        return array[offset + index];
    }

    /**
     * The bytes from {@code from} (inclusive) to {@code to} (exclusive), sharing this value's
     * storage: no copy is made.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= size()}
     */
    public Bytes slice(int from, int to) {
        Objects.checkFromToIndex(from, to, length);
        if (from == 0 && to == length) {
            return this;
        }
        return to == from ? EMPTY : new Bytes(array, offset + from, to - from);
    }

    /** A new array with a copy of the bytes. */
    public byte[] toArray() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    /** Copies the bytes into {@code target} at {@code targetOffset}. */
    public void copyTo(byte[] target, int targetOffset) {
        Objects.checkFromIndexSize(targetOffset, length, target.length);
        System.arraycopy(array, offset, target, targetOffset, length);
    }

    /** A read-only view, position 0 and limit {@link #size()}; no copy is made. */
    public ByteBuffer asReadOnlyByteBuffer() {
        return ByteBuffer.wrap(array, offset, length).slice().asReadOnlyBuffer();
    }

    /** A stream over the bytes; no copy is made. */
    public InputStream asInputStream() {
        return new View();
    }

    /**
     * Writes the bytes to {@code out}, a chunk at a time through a buffer of its own: {@code out}
     * never sees this value's storage, so it cannot change it.
     */
    public void writeTo(OutputStream out) throws IOException {
        byte[] chunk = new byte[Math.min(length, 8192)];
        for (int done = 0; done < length; ) {
            int n = Math.min(chunk.length, length - done);
            System.arraycopy(array, offset + done, chunk, 0, n);
            out.write(chunk, 0, n);
            done += n;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o == this
                || o instanceof Bytes b
                        && Arrays.equals(
                                array,
                                offset,
                                offset + length,
                                b.array,
                                b.offset,
                                b.offset + b.length);
    }

    /** As {@link Arrays#hashCode(byte[])} of {@link #toArray()}. */
    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = 31 * h + array[i];
        }
        return h;
    }

    /** The size and the first bytes in hex, e.g. {@code Bytes[3: 0a0b0c]}. */
    @Override
    public String toString() {
        int shown = Math.min(length, PREVIEW);
        return "Bytes["
                + length
                + (length == 0
                        ? ""
                        : ": " + HexFormat.of().formatHex(array, offset, offset + shown))
                + (length > shown ? "..." : "")
                + "]";
    }

    /**
     * The read-only stream of {@link #asInputStream()}. Not {@code ByteArrayInputStream}: its
     * {@code transferTo} hands the whole array to the target stream.
     */
    private final class View extends InputStream {
        private int pos;
        private int mark;

        @Override
        public int read() {
            return pos < length ? array[offset + pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (pos >= length) {
                return -1;
            }
            int n = Math.min(len, length - pos);
            System.arraycopy(array, offset + pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long k = Math.max(0, Math.min(n, length - pos));
            pos += (int) k;
            return k;
        }

        @Override
        public int available() {
            return length - pos;
        }

        @Override
        public boolean markSupported() {
            return true;
        }

        @Override
        public void mark(int readLimit) {
            mark = pos;
        }

        @Override
        public void reset() {
            pos = mark;
        }
    }
}
