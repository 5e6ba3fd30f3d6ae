package io.troupe.benchmarks.jmh;

import io.troupe.benchmarks.JvmFlags;
import io.troupe.core.codec.EncodedSink;
import io.troupe.core.codec.MessageCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode and decode of one message on one thread, Troupe's {@link MessageCodec} beside naive Kryo
 * ({@link NaiveKryo}) in the same run:
 *
 * <pre>
 *   encode:          message --codec--> thread's buffer --(length)--> JMH
 *   encodeArray:     message --codec--> thread's buffer --copy--> new byte[] --> JMH
 *   decode:          prepared byte[] --codec--> new message --> JMH
 * </pre>
 *
 * Payloads ({@link Payload}): {@code SMALL}, a record of an int, a long, an 18-character string and
 * a boolean: 32 bytes encoded by Troupe, 28 by naive Kryo; {@code MEDIUM}, a record of two longs,
 * three strings, a list of eight strings and a nested small record: 256 bytes encoded by Troupe,
 * 246 by naive Kryo.
 *
 * <p>{@code encode} is the transport's path: Troupe's zero-copy {@code encode(message, sink)} hands
 * the thread's buffer to a sink (here one that only takes the length, where a transport would copy
 * into its log), against Kryo writing into its reused {@code Output}. {@code encodeArray} adds the
 * copy into a fresh array ({@code encode(message)} against {@code Output.toBytes()}). Both systems
 * return what they produce, so JMH consumes it and nothing is eliminated as dead code.
 *
 * <p>The Troupe codec is built per thread here only to mirror the baseline's setup; it is
 * thread-safe and normally shared, and its figures include the per-call thread-local lookup it does
 * either way. Both setups verify that a round trip returns an equal message.
 *
 * <p>Methods are named {@code <operation><System>}, so that JMH, which runs benchmarks in name
 * order, measures each pair back to back: drifting load on a shared machine then hits both systems
 * alike.
 *
 * <p>Run: {@code java -jar troupe-benchmarks.jar codec} (table with ratios) or {@code java -jar
 * troupe-benchmarks.jar jmh CodecBenchmark -prof gc}.
 *
 * <p>Thread safety: JMH gives each benchmark thread its own state.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = JvmFlags.ADD_EXPORTS)
public class CodecBenchmark {

    /** A Troupe codec with the payloads registered, as the benchmark uses it. */
    public static MessageCodec troupeCodec() {
        MessageCodec codec = MessageCodec.create();
        codec.register(Payload.Small.class);
        codec.register(Payload.Medium.class);
        return codec;
    }

    /** Troupe's side: a registered codec, the payload and its encoded bytes. */
    @State(Scope.Thread)
    public static class TroupeState {
        @Param({"SMALL", "MEDIUM"})
        public Payload payload;

        MessageCodec codec;
        Object message;
        byte[] encoded;
        final LengthSink sink = new LengthSink();

        @Setup
        public void setUp() {
            codec = troupeCodec();
            message = payload.message();
            encoded = codec.encode(message);
            Object back = codec.decode(encoded, 0, encoded.length);
            if (!message.equals(back)) {
                throw new IllegalStateException(
                        "Troupe round trip changed the message: " + message + " -> " + back);
            }
        }
    }

    /** The baseline's side: a naive Kryo, the same payload and its encoded bytes. */
    @State(Scope.Thread)
    public static class KryoState {
        @Param({"SMALL", "MEDIUM"})
        public Payload payload;

        NaiveKryo kryo;
        Object message;
        byte[] encoded;

        @Setup
        public void setUp() {
            kryo = new NaiveKryo();
            message = payload.message();
            encoded = kryo.encodeToArray(message);
            Object back = kryo.decode(encoded);
            if (!message.equals(back)) {
                throw new IllegalStateException(
                        "Kryo round trip changed the message: " + message + " -> " + back);
            }
        }
    }

    /**
     * Takes the length of the bytes it is handed, as a transport would after copying them out.
     * Returns itself so that no boxed length is allocated per call.
     */
    static final class LengthSink implements EncodedSink<LengthSink> {
        int length;

        @Override
        public LengthSink accept(byte[] buffer, int offset, int length) {
            this.length = length;
            return this;
        }
    }

    @Benchmark
    public int encodeTroupe(TroupeState s) {
        return s.codec.encode(s.message, s.sink).length;
    }

    @Benchmark
    public byte[] encodeArrayTroupe(TroupeState s) {
        return s.codec.encode(s.message);
    }

    @Benchmark
    public Object decodeTroupe(TroupeState s) {
        return s.codec.decode(s.encoded, 0, s.encoded.length);
    }

    @Benchmark
    public int encodeKryo(KryoState s) {
        return s.kryo.encode(s.message);
    }

    @Benchmark
    public byte[] encodeArrayKryo(KryoState s) {
        return s.kryo.encodeToArray(s.message);
    }

    @Benchmark
    public Object decodeKryo(KryoState s) {
        return s.kryo.decode(s.encoded);
    }
}
