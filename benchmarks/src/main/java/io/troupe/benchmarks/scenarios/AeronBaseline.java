package io.troupe.benchmarks.scenarios;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.troupe.benchmarks.jmh.NaiveKryo;
import io.troupe.benchmarks.jmh.Payload;
import io.troupe.core.codec.MessageCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The baselines' plumbing: two processes on one embedded media driver, set up as Troupe sets up its
 * own (threading mode SHARED, {@link BackoffIdleStrategy}, IPC terms of {@value #TERM_LENGTH}
 * bytes), with one publication and one subscription per direction for data and another pair for the
 * harness's control frames, which never travel during a measurement.
 *
 * <pre>
 *  harness process                                   peer process
 *  [embedded driver]
 *  data    pub  --- aeron:ipc stream 2001 ------->   sub   (sink counts / echo answers)
 *  data    sub  &lt;-- aeron:ipc stream 2002 --------   pub   (echo only)
 *  control pub  --- aeron:ipc stream 2003 ------->   sub   EXPECT n, REPORT
 *  control sub  &lt;-- aeron:ipc stream 2004 --------   pub   EXPECTING, RECEIVED received outOfOrder
 * </pre>
 *
 * Data frames are bytes only for {@code aeron-raw} ({@link Codec#raw}: the 32 bytes Troupe's codec
 * makes of {@link Payload#SMALL}, with the sequence number written over the first 8) and naive
 * Kryo's encoding of the same record for {@code kryo-aeron} ({@link Codec#kryo}). Control frames
 * are 24 bytes: {@code int type, int 0, long a, long b}.
 *
 * <p>Thread safety: a {@link Harness} and a {@link Peer} are each used by one thread.
 */
final class AeronBaseline {
    static final int TERM_LENGTH = 1024 * 1024;
    static final String CHANNEL = "aeron:ipc?term-length=" + TERM_LENGTH;
    static final int DATA_OUT = 2001;
    static final int DATA_BACK = 2002;
    static final int CONTROL_OUT = 2003;
    static final int CONTROL_BACK = 2004;

    /**
     * {@link FanIn}: every sender process publishes here (one shared IPC log), the harness
     * subscribes.
     */
    static final int FAN_IN = 2101;

    /**
     * {@link FanOut}: the harness publishes to receiver {@code k} on stream {@code FAN_OUT_BASE +
     * k}.
     */
    static final int FAN_OUT_BASE = 2200;

    static final int EXPECT = 1;
    static final int EXPECTING = 2;
    static final int RECEIVED = 3;
    static final int REPORT = 4;
    private static final int CONTROL_LENGTH = 24;

    private AeronBaseline() {}

    /**
     * How one baseline turns a sequence number into a data frame and back. Each instance keeps
     * reused buffers, like the careful-but-untuned user the baselines stand for.
     *
     * <p>Thread safety: not thread-safe; one per thread.
     */
    abstract static class Codec {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[0]);
        int outLength;

        /**
         * Frame for message {@code tag} ({@link Sequenced#tag}: sender and number) in {@link #out},
         * {@link #outLength} bytes.
         */
        abstract void encode(long tag);

        /** The {@link Sequenced#tag} of a received frame. */
        abstract long decodeSeq(DirectBuffer buffer, int offset, int length);

        /**
         * The answer to a received frame, in {@link #out}; bytes only may answer with the frame
         * itself.
         */
        abstract DirectBuffer echo(DirectBuffer buffer, int offset, int length);

        /** Bytes of one data frame. */
        abstract int messageBytes();

        static Codec forSystem(BenchSystem system) {
            return switch (system) {
                case AERON_RAW -> raw();
                case KRYO_AERON -> kryo();
                default -> throw new IllegalArgumentException(system + " is not an Aeron baseline");
            };
        }

        /**
         * 32 bytes: Troupe's encoding of Payload.SMALL, the first 8 replaced by the sequence
         * number.
         */
        static Codec raw() {
            MessageCodec troupe = MessageCodec.create();
            troupe.register(Payload.Small.class);
            byte[] bytes = troupe.encode(Payload.SMALL.message());
            return new Codec() {
                {
                    out.wrap(bytes);
                    outLength = bytes.length;
                }

                @Override
                void encode(long seq) {
                    out.putLong(0, seq);
                }

                @Override
                long decodeSeq(DirectBuffer buffer, int offset, int length) {
                    return buffer.getLong(offset);
                }

                @Override
                DirectBuffer echo(DirectBuffer buffer, int offset, int length) {
                    outLength = length;
                    return buffer;
                }

                @Override
                int messageBytes() {
                    return bytes.length;
                }
            };
        }

        /**
         * Naive Kryo: a new record per message, {@code writeClassAndObject}, reused Output and
         * Input.
         */
        static Codec kryo() {
            NaiveKryo kryo = new NaiveKryo();
            int size = kryo.encode(Payload.SMALL.message());
            return new Codec() {
                private byte[] scratch = new byte[256];

                @Override
                void encode(long tag) {
                    send(Sequenced.small(Sequenced.seqOf(tag), Sequenced.senderOf(tag)));
                }

                private void send(Object message) {
                    outLength = kryo.encode(message);
                    if (out.byteArray() != kryo.buffer()) {
                        out.wrap(kryo.buffer());
                    }
                }

                private Payload.Small decode(DirectBuffer buffer, int offset, int length) {
                    if (scratch.length < length) {
                        scratch = new byte[length];
                    }
                    buffer.getBytes(offset, scratch, 0, length);
                    return (Payload.Small) kryo.decode(scratch, 0, length);
                }

                @Override
                long decodeSeq(DirectBuffer buffer, int offset, int length) {
                    Payload.Small s = decode(buffer, offset, length);
                    return Sequenced.tag(Sequenced.sender(s), Sequenced.seq(s));
                }

                @Override
                DirectBuffer echo(DirectBuffer buffer, int offset, int length) {
                    send(decode(buffer, offset, length));
                    return out;
                }

                @Override
                int messageBytes() {
                    return size;
                }
            };
        }
    }

    /**
     * The baselines' media driver, embedded in the harness: SHARED threading, back-off, {@value
     * #TERM_LENGTH}-byte IPC terms.
     */
    static MediaDriver launchDriver(Path dir) {
        return MediaDriver.launch(
                new MediaDriver.Context()
                        .aeronDirectoryName(dir.toString())
                        .threadingMode(ThreadingMode.SHARED)
                        .sharedIdleStrategy(new BackoffIdleStrategy())
                        .ipcTermBufferLength(TERM_LENGTH)
                        .dirDeleteOnStart(true)
                        .dirDeleteOnShutdown(true));
    }

    /** One control frame as read. */
    record Control(int type, long a, long b) {}

    /**
     * Offers until accepted, idling with back-off; fails on a closed stream or after {@code
     * timeout}.
     */
    static void offer(
            Publication pub,
            DirectBuffer buffer,
            int offset,
            int length,
            IdleStrategy idle,
            long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        long r;
        while ((r = pub.offer(buffer, offset, length)) < 0) {
            if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED) {
                throw new IllegalStateException(
                        "Publication to stream " + pub.streamId() + " refused a frame: " + r);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(
                        "Publication to stream "
                                + pub.streamId()
                                + " did not accept a frame within "
                                + timeoutNanos / 1_000_000
                                + " ms (last result "
                                + r
                                + ")");
            }
            idle.idle();
        }
        idle.reset();
    }

    static void sendControl(Publication pub, UnsafeBuffer scratch, int type, long a, long b) {
        scratch.putInt(0, type);
        scratch.putInt(4, 0);
        scratch.putLong(8, a);
        scratch.putLong(16, b);
        offer(
                pub,
                scratch,
                0,
                CONTROL_LENGTH,
                new BackoffIdleStrategy(),
                Duration.ofSeconds(10).toNanos());
    }

    static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        IdleStrategy idle = new BackoffIdleStrategy();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(
                        what + " did not happen within " + timeout.toMillis() + " ms");
            }
            idle.idle();
        }
    }

    /**
     * The harness's end: launches the media driver in a fresh directory, then its client and
     * streams; the peer attaches afterwards. Closing removes the driver's directory.
     */
    static final class Harness implements AutoCloseable {
        private final MediaDriver driver;
        private final Aeron aeron;
        private final Publication dataOut;
        private final Subscription dataBack;
        private final Publication controlOut;
        private final Subscription controlBack;
        private final Codec codec;
        private final IdleStrategy idle = new BackoffIdleStrategy();
        private final UnsafeBuffer controlScratch = new UnsafeBuffer(new byte[CONTROL_LENGTH]);
        private Control lastControl;
        private boolean answered;
        private long answeredSeq;
        private final FragmentHandler onControl =
                (b, o, l, h) ->
                        lastControl = new Control(b.getInt(o), b.getLong(o + 8), b.getLong(o + 16));
        private final FragmentHandler onAnswer;

        Harness(Path dir, Codec codec) {
            this.codec = codec;
            this.onAnswer =
                    (b, o, l, h) -> {
                        answeredSeq = codec.decodeSeq(b, o, l);
                        answered = true;
                    };
            MediaDriver d = null;
            Aeron a = null;
            try {
                d = launchDriver(dir);
                a = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir.toString()));
            } catch (RuntimeException e) {
                CloseHelper.quietCloseAll(a, d);
                throw e;
            }
            this.driver = d;
            this.aeron = a;
            this.dataOut = aeron.addPublication(CHANNEL, DATA_OUT);
            this.dataBack = aeron.addSubscription(CHANNEL, DATA_BACK);
            this.controlOut = aeron.addPublication(CHANNEL, CONTROL_OUT);
            this.controlBack = aeron.addSubscription(CHANNEL, CONTROL_BACK);
        }

        /** After the peer said it is ready: every stream connected both ways. */
        void awaitConnected(Duration timeout) {
            await(
                    () ->
                            dataOut.isConnected()
                                    && controlOut.isConnected()
                                    && dataBack.isConnected()
                                    && controlBack.isConnected(),
                    timeout,
                    "Connecting the baseline's four streams");
        }

        /**
         * One round of {@code n} one-way messages.
         *
         * @return {received, outOfOrder, nanos from the first offer to the peer's RECEIVED}; when
         *     the peer has not received all within {@code timeout}, what it had then
         */
        long[] oneWayRound(long n, Duration timeout) {
            sendControl(controlOut, controlScratch, EXPECT, n, 0);
            Control c = awaitControl(Duration.ofSeconds(10), "EXPECTING");
            if (c.type() != EXPECTING) {
                throw new IllegalStateException("The peer answered " + c + " to EXPECT");
            }
            long offerTimeout = timeout.toNanos();
            long start = System.nanoTime();
            for (long seq = 0; seq < n; seq++) {
                codec.encode(seq);
                offer(dataOut, codec.out, 0, codec.outLength, idle, offerTimeout);
            }
            Control done = pollControl(timeout);
            long elapsed = System.nanoTime() - start;
            if (done == null) {
                sendControl(controlOut, controlScratch, REPORT, 0, 0);
                done = awaitControl(Duration.ofSeconds(10), "RECEIVED after REPORT");
            }
            return new long[] {done.a(), done.b(), elapsed};
        }

        /**
         * Sends message {@code seq} and waits for its echo; returns false if the echo's number
         * differs.
         */
        boolean roundTrip(long seq, long timeoutNanos) {
            codec.encode(seq);
            offer(dataOut, codec.out, 0, codec.outLength, idle, timeoutNanos);
            answered = false;
            long deadline = System.nanoTime() + timeoutNanos;
            while (!answered) {
                int work = dataBack.poll(onAnswer, 1);
                if (work == 0 && System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(
                            "No echo of message "
                                    + seq
                                    + " within "
                                    + timeoutNanos / 1_000_000
                                    + " ms");
                }
                idle.idle(work);
            }
            idle.reset();
            return answeredSeq == seq;
        }

        private Control awaitControl(Duration timeout, String what) {
            Control c = pollControl(timeout);
            if (c == null) {
                throw new IllegalStateException(
                        "The peer sent no " + what + " within " + timeout.toMillis() + " ms");
            }
            return c;
        }

        private Control pollControl(Duration timeout) {
            lastControl = null;
            long deadline = System.nanoTime() + timeout.toNanos();
            IdleStrategy wait = new BackoffIdleStrategy();
            while (lastControl == null && System.nanoTime() - deadline < 0) {
                wait.idle(controlBack.poll(onControl, 1));
            }
            return lastControl;
        }

        @Override
        public void close() {
            CloseHelper.quietCloseAll(aeron, driver);
        }
    }

    /**
     * The peer's end: attaches to the harness's driver and serves until {@code stop} says so,
     * polling with back-off on its main thread.
     */
    static final class Peer implements AutoCloseable {
        private final Aeron aeron;
        private final Subscription dataIn;
        private final Publication dataBack;
        private final Subscription controlIn;
        private final Publication controlBack;
        private final Codec codec;
        private final IdleStrategy idle = new BackoffIdleStrategy();
        private final UnsafeBuffer controlScratch = new UnsafeBuffer(new byte[CONTROL_LENGTH]);
        private long expected;
        private long received;
        private long next;
        private long outOfOrder;

        Peer(Path dir, Codec codec) {
            this.codec = codec;
            this.aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir.toString()));
            this.dataIn = aeron.addSubscription(CHANNEL, DATA_OUT);
            this.dataBack = aeron.addPublication(CHANNEL, DATA_BACK);
            this.controlIn = aeron.addSubscription(CHANNEL, CONTROL_OUT);
            this.controlBack = aeron.addPublication(CHANNEL, CONTROL_BACK);
            await(
                    () -> dataBack.isConnected() && controlBack.isConnected(),
                    Duration.ofSeconds(30),
                    "Connecting the peer's publications");
        }

        /**
         * Counts and checks data frames; answers EXPECT and REPORT, and says RECEIVED when a round
         * is complete.
         */
        void serveSink(BooleanSupplier stop) {
            FragmentHandler onData =
                    (b, o, l, h) -> {
                        long seq = codec.decodeSeq(b, o, l);
                        if (seq != next) {
                            outOfOrder++;
                        }
                        next = seq + 1;
                        if (++received == expected) {
                            sendControl(
                                    controlBack, controlScratch, RECEIVED, received, outOfOrder);
                        }
                    };
            serve(stop, onData);
        }

        /** Answers every data frame with its echo. */
        void serveEcho(BooleanSupplier stop) {
            long timeout = Duration.ofSeconds(10).toNanos();
            IdleStrategy offerIdle = new BackoffIdleStrategy();
            FragmentHandler onData =
                    (b, o, l, h) -> {
                        DirectBuffer answer = codec.echo(b, o, l);
                        offer(
                                dataBack,
                                answer,
                                answer == b ? o : 0,
                                codec.outLength,
                                offerIdle,
                                timeout);
                    };
            serve(stop, onData);
        }

        private void serve(BooleanSupplier stop, FragmentHandler onData) {
            FragmentHandler onControl =
                    (b, o, l, h) -> {
                        int type = b.getInt(o);
                        if (type == EXPECT) {
                            expected = b.getLong(o + 8);
                            received = 0;
                            next = 0;
                            outOfOrder = 0;
                            sendControl(controlBack, controlScratch, EXPECTING, expected, 0);
                        } else if (type == REPORT) {
                            sendControl(
                                    controlBack, controlScratch, RECEIVED, received, outOfOrder);
                        }
                    };
            while (!stop.getAsBoolean()) {
                int work = dataIn.poll(onData, 256);
                work += controlIn.poll(onControl, 1);
                idle.idle(work);
            }
        }

        @Override
        public void close() {
            CloseHelper.quietClose(aeron);
        }
    }
}
