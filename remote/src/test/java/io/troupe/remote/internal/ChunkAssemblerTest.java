package io.troupe.remote.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ChunkAssemblerTest {
    private static final int MAX = 16 * 1024 * 1024 + 64 * 1024;
    private final ChunkAssembler chunks = new ChunkAssembler(MAX);

    private ChunkAssembler.Result chunk(
            long sender, long messageId, int total, int at, byte[] bytes) {
        byte[] body = RawFrames.chunkBody(messageId, total, at, bytes);
        return chunks.onChunk(sender, new UnsafeBuffer(body), 0, body.length);
    }

    @Test
    void shouldReassembleMessagesCutIntoChunksOfAnySize() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            byte[] message = new byte[1 + random.nextInt(300_000)];
            random.nextBytes(message);
            int at = 0;
            ChunkAssembler.Result r = ChunkAssembler.Result.INCOMPLETE;
            while (at < message.length) {
                int n = Math.min(message.length - at, random.nextInt(70_000));
                byte[] part = Arrays.copyOfRange(message, at, at + n);
                r = chunk(1, round, message.length, at, part);
                at += n;
                if (at < message.length) {
                    assertSame(ChunkAssembler.Result.INCOMPLETE, r);
                }
            }
            assertNull(r.rejection());
            assertArrayEquals(message, r.message());
        }
        assertEquals(0, chunks.inProgress());
    }

    @Test
    void shouldAllocateForTheBytesThatArriveNotForTheTotalAChunkDeclares() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] small = new byte[100];
        chunk(1, -1, MAX, 0, small); // warm up
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000; i++) {
            assertSame(
                    ChunkAssembler.Result.INCOMPLETE,
                    chunk(1, i, MAX, 0, small)); // first chunks of 16 MiB messages that never end
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(
                allocated < 10 * 1024 * 1024,
                "1,000 first chunks of 100 bytes allocated " + allocated + " bytes");
        assertEquals(
                ChunkAssembler.MAX_PARTIAL_PER_SENDER,
                chunks.inProgress(),
                "each sender keeps a bounded number in progress");
    }

    @Test
    void shouldRejectChunksThatDoNotContinueTheirMessageOrDeclareABadTotal() {
        assertTrue(
                chunk(1, 1, 100, 5, new byte[10])
                        .rejection()
                        .contains("whose start was never seen"));
        assertSame(ChunkAssembler.Result.INCOMPLETE, chunk(1, 2, 100, 0, new byte[10]));
        assertTrue(
                chunk(1, 2, 100, 20, new byte[10])
                        .rejection()
                        .contains(
                                "does not continue its message (offset 20, 10 bytes,"
                                        + " expected offset 10 of 100)"));
        assertSame(ChunkAssembler.Result.INCOMPLETE, chunk(1, 3, 100, 0, new byte[10]));
        assertTrue(
                chunk(1, 3, 100, 10, new byte[91]).rejection().contains("does not continue"),
                "longer than the total");
        assertTrue(chunk(1, 4, 0, 0, new byte[0]).rejection().contains("declaring 0 bytes"));
        assertTrue(
                chunk(1, 5, MAX + 1, 0, new byte[1])
                        .rejection()
                        .contains("limit max-message-bytes = " + MAX));
        assertEquals(0, chunks.inProgress());
    }
}
