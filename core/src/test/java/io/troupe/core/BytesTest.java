package io.troupe.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BytesTest {
    private static final byte[] DATA = {1, 2, 3, 4, 5};

    @Test
    void shouldCopyOnConstructionSoLaterChangesToTheSourceDoNotShow() {
        byte[] source = DATA.clone();
        Bytes b = Bytes.copyOf(source);
        source[0] = 99;
        assertEquals(1, b.byteAt(0));

        ByteBuffer buffer = ByteBuffer.wrap(DATA.clone());
        buffer.position(1);
        Bytes fromBuffer = Bytes.copyOf(buffer);
        assertEquals(1, buffer.position(), "the buffer's position is left alone");
        buffer.put(1, (byte) 99);
        assertEquals(Bytes.copyOf(new byte[] {2, 3, 4, 5}), fromBuffer);

        assertEquals(Bytes.copyOf(new byte[] {2, 3}), Bytes.copyOf(DATA, 1, 2));
    }

    @Test
    void shouldHandOutCopiesAndReadOnlyViewsOnly() throws IOException {
        Bytes b = Bytes.copyOf(DATA);
        byte[] copy = b.toArray();
        copy[0] = 99;
        assertEquals(1, b.byteAt(0));

        ByteBuffer view = b.asReadOnlyByteBuffer();
        assertTrue(view.isReadOnly());
        assertEquals(0, view.position());
        assertEquals(5, view.limit());
        assertThrows(ReadOnlyBufferException.class, () -> view.put(0, (byte) 9));
        assertThrows(ReadOnlyBufferException.class, view::array);

        // A stream that would change what it is handed cannot reach the storage.
        OutputStream vandal =
                new OutputStream() {
                    @Override
                    public void write(int x) {}

                    @Override
                    public void write(byte[] a, int off, int len) {
                        Arrays.fill(a, off, off + len, (byte) 0);
                    }
                };
        b.writeTo(vandal);
        b.asInputStream().transferTo(vandal);
        assertArrayEquals(DATA, b.toArray());

        byte[] target = new byte[7];
        b.copyTo(target, 2);
        assertArrayEquals(new byte[] {0, 0, 1, 2, 3, 4, 5}, target);
    }

    @Test
    void shouldReadItsBytesThroughAnInputStream() throws IOException {
        Bytes b = Bytes.copyOf(DATA).slice(1, 4);
        InputStream in = b.asInputStream();
        assertEquals(3, in.available());
        assertEquals(2, in.read());
        in.mark(10);
        assertArrayEquals(new byte[] {3, 4}, in.readAllBytes());
        assertEquals(-1, in.read());
        in.reset();
        assertEquals(1, in.skip(1));
        assertEquals(4, in.read());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        b.writeTo(out);
        assertArrayEquals(new byte[] {2, 3, 4}, out.toByteArray());
    }

    @Test
    void shouldSliceWithoutCopyingAndCompareByContent() {
        Bytes b = Bytes.copyOf(DATA);
        Bytes middle = b.slice(1, 4);
        assertEquals(3, middle.size());
        assertEquals(2, middle.byteAt(0));
        assertEquals(Bytes.copyOf(new byte[] {2, 3, 4}), middle);
        assertEquals(Bytes.copyOf(new byte[] {2, 3, 4}).hashCode(), middle.hashCode());
        assertEquals(Arrays.hashCode(new byte[] {2, 3, 4}), middle.hashCode());
        assertEquals(Bytes.copyOf(new byte[] {3}), middle.slice(1, 2));
        assertSame(b, b.slice(0, 5));
        assertSame(Bytes.empty(), b.slice(2, 2));
        assertNotEquals(b, middle);
        assertThrows(IndexOutOfBoundsException.class, () -> b.slice(3, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> b.slice(0, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> middle.byteAt(3));
        assertThrows(IndexOutOfBoundsException.class, () -> middle.byteAt(-1));
    }

    @Test
    void shouldDescribeItselfWithItsSizeAndAShortHexPreview() {
        assertEquals("Bytes[0]", Bytes.empty().toString());
        assertEquals("Bytes[3: 0a0bff]", Bytes.copyOf(new byte[] {10, 11, -1}).toString());
        assertEquals(
                "Bytes[1000: 00000000000000000000000000000000...]",
                Bytes.copyOf(new byte[1000]).toString());
        assertTrue(Bytes.empty().isEmpty());
        assertEquals(0, Bytes.copyOf(new byte[0]).size());
        assertEquals(Bytes.empty(), Bytes.copyOf(ByteBuffer.allocate(0)));
    }

    @Test
    void shouldRefuseNullsAndBadRanges() {
        assertThrows(NullPointerException.class, () -> Bytes.copyOf((byte[]) null));
        assertThrows(NullPointerException.class, () -> Bytes.copyOf((ByteBuffer) null));
        assertThrows(IndexOutOfBoundsException.class, () -> Bytes.copyOf(DATA, 3, 3));
        assertThrows(
                IndexOutOfBoundsException.class, () -> Bytes.copyOf(DATA).copyTo(new byte[4], 0));
    }
}
