package io.troupe.remote.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The waiting room of the send path, on its own: records come out in the order they went in, across
 * batches, with their bytes intact; the byte limit refuses without losing what is queued; a message
 * larger than a batch gets one of its own; and concurrent senders each keep their order.
 */
class OutboundQueueTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Takes every record out as (exportId, payload) in order, marking each done. */
    private static List<String> takeAll(OutboundQueue q) {
        List<String> out = new ArrayList<>();
        OutboundQueue.Batch b;
        while ((b = q.next()) != null) {
            while (b.hasUnsent()) {
                int off = b.readOffset;
                int len = b.length(off);
                out.add(
                        b.exportId(off)
                                + ":"
                                + new String(
                                        b.bytes,
                                        off + Wire.RECORD_HEADER_LENGTH,
                                        len,
                                        StandardCharsets.UTF_8));
                b.readOffset += Wire.RECORD_HEADER_LENGTH + len;
                b.readRecord++;
                q.done(1, OutboundQueue.footprint(len));
            }
        }
        return out;
    }

    @Test
    void shouldGiveRecordsBackInOrderAcrossBatchesAndBeEmptyOnlyWhenAllAreDone() {
        OutboundQueue q = new OutboundQueue();
        assertTrue(q.isEmpty());
        List<String> expected = new ArrayList<>();
        byte[] filler = new byte[1000];
        Arrays.fill(filler, (byte) 'x');
        String fill = new String(filler, StandardCharsets.UTF_8);
        for (int i = 0; i < 300; i++) { // ~300 KB: five batches
            byte[] p = bytes(i + fill);
            assertEquals(
                    OutboundQueue.Append.APPENDED,
                    q.append(Wire.DATA, i, p, 0, p.length, null, null, i, Long.MAX_VALUE));
            expected.add(i + ":" + i + fill);
        }
        assertFalse(q.isEmpty());
        assertEquals(expected, takeAll(q));
        assertTrue(q.isEmpty());
        assertEquals(0, q.waitingBytes());
        assertNull(q.next());
    }

    @Test
    void shouldRefuseWhatWouldGoOverTheByteLimitAndKeepWhatIsQueued() {
        OutboundQueue q = new OutboundQueue();
        byte[] p = new byte[100];
        long each = OutboundQueue.footprint(100); // the record's header and bytes, and its slots
        long limit = 2 * each + each / 2;
        assertEquals(
                OutboundQueue.Append.APPENDED,
                q.append(Wire.DATA, 1, p, 0, 100, null, null, 0, limit));
        assertEquals(
                OutboundQueue.Append.APPENDED,
                q.append(Wire.DATA, 2, p, 0, 100, null, null, 0, limit));
        assertEquals(
                OutboundQueue.Append.FULL,
                q.append(Wire.DATA, 3, p, 0, 100, null, null, 0, limit),
                "a third would make 3 x " + each + " > " + limit);
        assertEquals(2 * each, q.waitingBytes());
        assertEquals(
                List.of(
                        "1:" + new String(p, StandardCharsets.UTF_8),
                        "2:" + new String(p, StandardCharsets.UTF_8)),
                takeAll(q));
        assertEquals(
                OutboundQueue.Append.APPENDED,
                q.append(Wire.DATA, 3, p, 0, 100, null, null, 0, limit),
                "room again once the queue drained");
    }

    @Test
    void shouldRefuseEveryAppendOnceClosedAndKeepWhatCameBeforeForTheDrain() throws Exception {
        OutboundQueue q = new OutboundQueue();
        byte[] p = bytes("before");
        assertEquals(
                OutboundQueue.Append.APPENDED,
                q.append(Wire.DATA, 1, p, 0, p.length, null, null, 0, Long.MAX_VALUE));
        q.close();
        assertTrue(q.isClosed());
        assertEquals(
                OutboundQueue.Append.CLOSED,
                q.append(Wire.DATA, 2, p, 0, p.length, null, null, 0, Long.MAX_VALUE));
        assertEquals(List.of("1:before"), takeAll(q), "what came before the close is drained");
        assertTrue(q.isEmpty());
    }

    /**
     * Senders racing with a close: every append is either in the queue when the drain after the
     * close runs, or refused; none lands in a queue nobody drains again.
     */
    @Test
    void shouldAccountForEveryAppendThatRacesWithTheClose() throws Exception {
        for (int round = 0; round < 50; round++) {
            OutboundQueue q = new OutboundQueue();
            int threads = 4;
            AtomicInteger appended = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread th =
                        new Thread(
                                () -> {
                                    byte[] p = bytes("m");
                                    try {
                                        start.await();
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                    for (int i = 0; i < 2_000; i++) {
                                        OutboundQueue.Append a =
                                                q.append(
                                                        Wire.DATA,
                                                        1,
                                                        p,
                                                        0,
                                                        p.length,
                                                        null,
                                                        null,
                                                        0,
                                                        Long.MAX_VALUE);
                                        (a == OutboundQueue.Append.APPENDED ? appended : refused)
                                                .incrementAndGet();
                                    }
                                });
                th.start();
                senders.add(th);
            }
            start.countDown();
            q.close();
            int drainedAtClose = takeAll(q).size();
            for (Thread th : senders) {
                th.join(10_000);
                assertFalse(th.isAlive(), "a sender did not finish within 10 s");
            }
            assertEquals(
                    appended.get(),
                    drainedAtClose,
                    "every appended record is drained after the close (refused: " + refused + ")");
            assertEquals(threads * 2_000, appended.get() + refused.get());
            assertTrue(q.isEmpty());
        }
    }

    @Test
    void shouldGiveAMessageLargerThanABatchABatchOfItsOwnBetweenItsNeighbours() {
        OutboundQueue q = new OutboundQueue();
        byte[] small = bytes("small");
        byte[] large = new byte[OutboundQueue.BATCH_BYTES * 3];
        large[large.length - 1] = 42;
        q.append(Wire.DATA, 1, small, 0, small.length, null, null, 0, Long.MAX_VALUE);
        q.append(Wire.DATA, 2, large, 0, large.length, null, null, 0, Long.MAX_VALUE);
        q.append(Wire.CONTROL, 3, small, 0, small.length, null, null, 0, Long.MAX_VALUE);

        OutboundQueue.Batch first = q.next();
        assertEquals(1, first.records);
        first.readRecord = 1;
        q.done(1, OutboundQueue.footprint(small.length));
        OutboundQueue.Batch second = q.next();
        assertEquals(1, second.records);
        assertEquals(large.length, second.length(0));
        assertEquals(42, second.bytes[Wire.RECORD_HEADER_LENGTH + large.length - 1]);
        second.readRecord = 1;
        q.done(1, OutboundQueue.footprint(large.length));
        OutboundQueue.Batch third = q.next();
        assertEquals(Wire.CONTROL, third.type(0));
        assertEquals(3, third.exportId(0));
    }

    @Test
    void shouldReuseASpentBatchSoASteadyBackPressureAllocatesNothing() {
        OutboundQueue q = new OutboundQueue();
        byte[] p = bytes("p");
        q.append(Wire.DATA, 1, p, 0, 1, null, null, 0, Long.MAX_VALUE);
        OutboundQueue.Batch first = q.next();
        first.readRecord = 1;
        q.done(1, OutboundQueue.footprint(1));
        assertNull(q.next(), "nothing waits");
        q.append(Wire.DATA, 2, p, 0, 1, null, null, 0, Long.MAX_VALUE);
        OutboundQueue.Batch again = q.next();
        assertSame(first, again);
        assertEquals(1, again.records, "reset before reuse");
        assertEquals(2, again.exportId(0));
    }

    @Test
    void shouldKeepEachSendersOrderWhenFourThreadsAppendAtOnce() throws Exception {
        OutboundQueue q = new OutboundQueue();
        int threads = 4;
        int each = 20_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th =
                    new Thread(
                            () -> {
                                try {
                                    go.await();
                                } catch (InterruptedException e) {
                                    return;
                                }
                                for (int i = 0; i < each; i++) {
                                    byte[] p = bytes(Integer.toString(i));
                                    q.append(
                                            Wire.DATA,
                                            id,
                                            p,
                                            0,
                                            p.length,
                                            null,
                                            null,
                                            i,
                                            Long.MAX_VALUE);
                                }
                            });
            th.start();
            senders.add(th);
        }
        go.countDown();
        int[] next = new int[threads];
        int taken = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (taken < threads * each) {
            assertTrue(System.nanoTime() < deadline, "took " + taken + " records in 60 s");
            OutboundQueue.Batch b = q.next();
            if (b == null) {
                Thread.onSpinWait();
                continue;
            }
            while (b.hasUnsent()) {
                int off = b.readOffset;
                int len = b.length(off);
                int sender = b.exportId(off);
                int seq =
                        Integer.parseInt(
                                new String(
                                        b.bytes,
                                        off + Wire.RECORD_HEADER_LENGTH,
                                        len,
                                        StandardCharsets.UTF_8));
                assertEquals(next[sender]++, seq, "sender " + sender + "'s order");
                b.readOffset += Wire.RECORD_HEADER_LENGTH + len;
                b.readRecord++;
                q.done(1, OutboundQueue.footprint(len));
                taken++;
            }
        }
        for (Thread th : senders) {
            th.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertArrayEquals(new int[] {each, each, each, each}, next);
        assertTrue(q.isEmpty());
    }
}
