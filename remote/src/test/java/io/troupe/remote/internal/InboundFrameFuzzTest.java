package io.troupe.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.AskPattern;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.testsupport.TestAeronDir;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

/**
 * Coverage-guided fuzzing (Jazzer) of a live node's inbound path: each input becomes one frame on
 * the node's real inbound stream, read by its real transport thread (header checks, chunk
 * reassembly, decoding, control handling, delivery), and the harness waits until that thread has
 * handled it. The node ({@code target}) publishes an echo actor; a second node ({@code peer}) in
 * this JVM is a member of its cluster, so frames can carry a sender the target knows and get past
 * the header checks.
 *
 * <p>An input's first byte chooses how it becomes a frame: {@code mode = b & 3}; 0 sends the rest
 * as it is (the fuzzer writes the header too); otherwise the header is the live one (sender {@code
 * peer}, target {@code target}, the current version, the echo's export id) with these overrides:
 * type {@code (b >> 2) & 3} (DATA, CONTROL, CHUNK, or the next input byte; BATCH if none), bit 4 a
 * sender, bit 5 a target incarnation (8 bytes each), bit 6 a version byte, bit 7 an export id (4
 * bytes), read in that order from the input; the rest is the body.
 *
 * <p>Properties, for every frame: the transport thread handles it within {@link #HANDLED} and
 * without failing (no "failed while polling" error); a frame the header checks must refuse (short,
 * wrong version or target, unknown sender, unknown type) adds exactly one to {@code
 * rejected-frames}; any other adds at most one to {@code rejected-frames}, {@code decode-failures}
 * and {@code msgs-received} together (none: a handled control frame, or a chunk that does not end
 * its message), or for a BATCH at most one per record it can hold; and the node keeps answering
 * asks.
 *
 * <p>Corpus and fuzzing pass as for {@code CodecFuzzTest} in core: the seeds under {@code
 * src/test/resources/io/troupe/remote/internal/InboundFrameFuzzTestInputs/frame/} were made from
 * real frames; the module's {@code fuzz} execution fuzzes for {@code troupe.fuzz.seconds}.
 */
class InboundFrameFuzzTest {
    static final Duration HANDLED = Duration.ofSeconds(10);
    private static final Duration ASK = Duration.ofSeconds(10);
    private static final int ASK_EVERY = 200;

    static TestAeronDir aeronDir;
    static ActorTestKit targetKit;
    static ActorTestKit peerKit;
    static RemoteNode target;
    static RemoteNode peer;
    static ActorRef<FrameProtocol.Msg> echoFromPeer;
    static int echoExportId;
    static RawFrames raw;
    private static ListAppender<ILoggingEvent> transportLog;
    private static int inputs;
    private static int asks;

    @BeforeAll
    static void startNodes() throws Exception {
        aeronDir = new TestAeronDir();
        targetKit = ActorTestKit.create("fuzz-target", aeronDir.config("node-name", "target"));
        target = RemoteNode.get(targetKit.system());
        target.register(FrameProtocol.Msg.class);
        target.publish(
                "echo",
                targetKit.spawn(FrameProtocol.echo("target", null), "echo"),
                FrameProtocol.Msg.class);
        peerKit = ActorTestKit.create("fuzz-peer", aeronDir.config("node-name", "peer"));
        peer = RemoteNode.get(peerKit.system());
        peer.register(FrameProtocol.Msg.class);
        echoFromPeer =
                peer.lookup("target", "echo", FrameProtocol.Msg.class)
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
        echoExportId = ((RemoteActorRef) Adapter.toClassic(echoFromPeer)).exportId();
        assertTrue(
                target.members().stream().anyMatch(m -> m.incarnation() == peer.incarnation()),
                "peer is a member of target's cluster");
        transportLog = new ListAppender<>();
        transportLog.start();
        ((Logger) LoggerFactory.getLogger(Transport.class.getPackageName()))
                .addAppender(transportLog);
        raw =
                RawFrames.open(
                        aeronDir.path(), "target", target.incarnation(), Duration.ofSeconds(10));
    }

    @AfterAll
    static void stopNodes() {
        ((Logger) LoggerFactory.getLogger(Transport.class.getPackageName()))
                .detachAppender(transportLog);
        if (raw != null) {
            raw.close();
        }
        if (peerKit != null) {
            peerKit.shutdownTestKit();
        }
        if (targetKit != null) {
            targetKit.shutdownTestKit(); // hosts the driver: last
        }
        aeronDir.close();
        System.out.println(
                "InboundFrameFuzzTest: " + inputs + " frames, " + asks + " asks answered");
    }

    @FuzzTest(maxDuration = "30s")
    void frame(byte[] input) {
        byte[] frame = toFrame(input);
        long rejected = target.counter("rejected-frames");
        long failures = target.counter("decode-failures");
        long received = target.counter("msgs-received");

        raw.awaitConsumed(raw.offer(frame, HANDLED), HANDLED);
        inputs++;

        long dRejected = target.counter("rejected-frames") - rejected;
        long dFailures = target.counter("decode-failures") - failures;
        long dReceived = target.counter("msgs-received") - received;
        synchronized (transportLog) { // ListAppender appends under this lock
            for (ILoggingEvent e : transportLog.list) {
                if (e.getLevel().isGreaterOrEqual(Level.ERROR)) {
                    throw new AssertionError(
                            "the transport thread failed on "
                                    + describe(frame)
                                    + ": "
                                    + e.getFormattedMessage()
                                    + (e.getThrowableProxy() != null
                                            ? " "
                                                    + e.getThrowableProxy().getClassName()
                                                    + ": "
                                                    + e.getThrowableProxy().getMessage()
                                            : ""));
                }
            }
            transportLog.list.clear();
        }
        String counts =
                "rejected +"
                        + dRejected
                        + ", decode failures +"
                        + dFailures
                        + ", received +"
                        + dReceived
                        + " for "
                        + describe(frame);
        String refusal = headerRefusal(frame);
        if (refusal != null) {
            assertEquals(
                    List.of(1L, 0L, 0L),
                    List.of(dRejected, dFailures, dReceived),
                    "a frame with " + refusal + ": " + counts);
        } else {
            // A batch counts once per record it holds, and a malformed record ends it with one
            // rejection.
            long most =
                    frame[Wire.TYPE_OFFSET] == Wire.BATCH
                            ? (frame.length - Wire.HEADER_LENGTH) / Wire.RECORD_HEADER_LENGTH + 1
                            : 1;
            assertTrue(
                    dRejected >= 0
                            && dFailures >= 0
                            && dReceived >= 0
                            && dRejected + dFailures + dReceived <= most,
                    counts);
        }
        if (inputs % ASK_EVERY == 1) {
            assertServes();
        }
    }

    /** The node still answers an ask from its peer. */
    static void assertServes() {
        int seq = ++asks;
        FrameProtocol.Pong pong;
        try {
            pong =
                    AskPattern.<FrameProtocol.Msg, FrameProtocol.Pong>ask(
                                    echoFromPeer,
                                    r -> new FrameProtocol.Ping(seq, r),
                                    ASK,
                                    peerKit.scheduler())
                            .toCompletableFuture()
                            .get(ASK.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(
                    "node target stopped answering asks after " + inputs + " hostile frames", e);
        }
        assertEquals(new FrameProtocol.Pong(seq, "target"), pong);
    }

    /**
     * Why the header checks must refuse {@code frame}, or null if it passes them. The spec of
     * {@link Wire}, restated.
     */
    static String headerRefusal(byte[] frame) {
        if (frame.length < Wire.HEADER_LENGTH) {
            return "a short header";
        }
        ByteBuffer b = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        if (b.get(Wire.VERSION_OFFSET) != Wire.VERSION) {
            return "version " + b.get(Wire.VERSION_OFFSET);
        }
        if (b.getShort(Wire.CLUSTER_TAG_OFFSET) != RawFrames.CLUSTER_TAG) {
            return "another cluster";
        }
        if (b.getLong(Wire.TARGET_OFFSET) != target.incarnation()) {
            return "another target incarnation";
        }
        if (b.getLong(Wire.SENDER_OFFSET) != peer.incarnation()) {
            return "an unknown sender";
        }
        byte type = b.get(Wire.TYPE_OFFSET);
        if (type != Wire.DATA && type != Wire.CONTROL && type != Wire.CHUNK && type != Wire.BATCH) {
            return "type " + type;
        }
        return null;
    }

    /** Turns a fuzz input into a frame (see the class comment for the layout). */
    static byte[] toFrame(byte[] input) {
        if (input.length == 0) {
            return input;
        }
        int selector = input[0] & 0xff;
        if ((selector & 3) == 0) {
            return Arrays.copyOfRange(input, 1, input.length);
        }
        ByteBuffer in = ByteBuffer.wrap(input, 1, input.length - 1).order(ByteOrder.LITTLE_ENDIAN);
        byte type =
                switch ((selector >> 2) & 3) {
                    case 0 -> Wire.DATA;
                    case 1 -> Wire.CONTROL;
                    case 2 -> Wire.CHUNK;
                    default -> in.hasRemaining() ? in.get() : Wire.BATCH;
                };
        long sender = (selector & 0x10) != 0 ? readLong(in) : peer.incarnation();
        long targetIncarnation = (selector & 0x20) != 0 ? readLong(in) : target.incarnation();
        byte version = (selector & 0x40) != 0 ? (in.hasRemaining() ? in.get() : 0) : Wire.VERSION;
        int exportId =
                (selector & 0x80) != 0 ? (in.remaining() >= 4 ? in.getInt() : 0) : echoExportId;
        byte[] body = new byte[in.remaining()];
        in.get(body);
        return RawFrames.frame(type, version, exportId, sender, targetIncarnation, body);
    }

    private static long readLong(ByteBuffer in) {
        return in.remaining() >= 8 ? in.getLong() : 0;
    }

    static String describe(byte[] frame) {
        byte[] head = Arrays.copyOf(frame, Math.min(frame.length, 200));
        return "a "
                + frame.length
                + "-byte frame "
                + HexFormat.of().formatHex(head)
                + (frame.length > head.length ? "..." : "");
    }
}
