package io.troupe.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.management.ThreadMXBean;
import io.troupe.core.akka.PathActorRefCodec;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of {@link MessageCodec#decode} with Jazzer, over a codec that knows
 * {@link Samples} and {@link FuzzProtocol} (records, enums, sealed and recursive types, every
 * collection, {@code Optional}, {@code java.time}, big numbers, actor refs).
 *
 * <p>Properties, for every byte string:
 *
 * <ul>
 *   <li>decoding gives a value or a {@link CodecException}, never another throwable, and never a
 *       {@code CodecException} that stands for an {@code OutOfMemoryError} or {@code
 *       StackOverflowError} (the limits must refuse the input before that);
 *   <li>it allocates at most {@link #ALLOCATION_SLACK} plus {@link #ALLOCATION_PER_BYTE} bytes per
 *       input byte, and takes at most {@link #MAX_DECODE} (no hang, no amplification);
 *   <li>a decoded value encodes again and decodes to an equal value. (Not to the same bytes: {@code
 *       Set.of} and {@code Map.of} iterate equal contents in an order that depends on how they were
 *       built.)
 * </ul>
 *
 * <p>{@code mvn verify} runs it twice: with the other tests in regression mode, on the empty input
 * and the checked-in corpus under {@code src/test/resources/io/troupe/core/codec/
 * CodecFuzzTestInputs/decode/} (seeds made from real encodings, plus past findings); then, in the
 * {@code fuzz} execution of the module's pom ({@code JAZZER_FUZZ=1}), as a time-bounded fuzzing
 * pass ({@code -Dtroupe.fuzz.seconds}, default 30; {@code -Dtroupe.fuzz.skip} skips it). A finding
 * fails the build and leaves its input in {@code target/jazzer/}: copy it into the corpus
 * directory, fix the bug, and it stays a regression test.
 */
class CodecFuzzTest {
    static final Duration MAX_DECODE = Duration.ofSeconds(2);
    static final long ALLOCATION_SLACK = 512 * 1024;
    static final long ALLOCATION_PER_BYTE = 64;

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    static final ActorSystem<FuzzProtocol.Msg> SYSTEM =
            ActorSystem.create(Behaviors.ignore(), "codec-fuzz");
    static final MessageCodec CODEC = codec(SYSTEM);

    static MessageCodec codec(ActorSystem<FuzzProtocol.Msg> system) {
        MessageCodec codec = MessageCodec.create().actorRefCodec(new PathActorRefCodec(system));
        codec.register(Samples.Command.class);
        codec.register(Samples.Other.class);
        codec.register(FuzzProtocol.Msg.class);
        // Warm up what decoding loads once per thread or per JVM (the thread's Kryo session, time
        // zone rules, the actor ref resolver), so that it is not counted against the first input.
        for (Object m : seedMessages(system)) {
            codec.decode(codec.encode(m));
        }
        return codec;
    }

    /** Real messages: the seeds of the corpus are their encodings. */
    static List<Object> seedMessages(ActorSystem<FuzzProtocol.Msg> system) {
        List<Object> all = new ArrayList<>(FuzzProtocol.samples(system));
        all.addAll(
                List.of(
                        Samples.everything(),
                        new Samples.Small(1, 2, "abc", true),
                        Samples.Level.MID,
                        new Samples.Tree("x", List.of(new Samples.Tree("y", List.of()))),
                        new Samples.Envelope(
                                new Samples.Envelope(new Samples.Small(0, 0, "", false))),
                        new Samples.Holder(List.of("n")),
                        new Samples.Ping(7),
                        new Samples.Pong(8, "p"),
                        List.of("a", 1, Samples.Level.HIGH),
                        Map.of("k", Optional.of(2L)),
                        Optional.of(new FuzzProtocol.Var("v")),
                        "just a string",
                        42));
        return all;
    }

    @AfterAll
    static void stopSystem() throws Exception {
        SYSTEM.terminate();
        SYSTEM.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] frame) {
        long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        Object decoded;
        try {
            decoded = CODEC.decode(frame);
        } catch (CodecException e) {
            checkBounds(frame, allocatedBefore, start);
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof OutOfMemoryError || t instanceof StackOverflowError) {
                    throw new AssertionError(
                            "the codec hit "
                                    + t
                                    + " on "
                                    + describe(frame)
                                    + "; its limits should have refused the frame before",
                            e);
                }
            }
            return;
        }
        // Anything but a CodecException propagates: Jazzer reports it as a finding.
        checkBounds(frame, allocatedBefore, start);
        byte[] again = CODEC.encode(decoded);
        Object twice = CODEC.decode(again);
        assertEquals(
                decoded,
                twice,
                () -> "decode(encode(v)) differs from v = " + decoded + " for " + describe(frame));
    }

    private static void checkBounds(byte[] frame, long allocatedBefore, long start) {
        long tookNanos = System.nanoTime() - start;
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
        long allowed = ALLOCATION_SLACK + ALLOCATION_PER_BYTE * frame.length;
        if (allocated > allowed) {
            throw new AssertionError(
                    "decoding allocated "
                            + allocated
                            + " bytes (allowed "
                            + allowed
                            + ") for "
                            + describe(frame));
        }
        if (tookNanos > MAX_DECODE.toNanos()) {
            throw new AssertionError(
                    "decoding took "
                            + TimeUnit.NANOSECONDS.toMillis(tookNanos)
                            + " ms for "
                            + describe(frame));
        }
    }

    private static String describe(byte[] frame) {
        byte[] head = Arrays.copyOf(frame, Math.min(frame.length, 256));
        return "a "
                + frame.length
                + "-byte frame "
                + HexFormat.of().formatHex(head)
                + (frame.length > head.length ? "..." : "");
    }
}
