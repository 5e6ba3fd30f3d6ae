package io.troupe.benchmarks.jmh;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;

/**
 * The baseline every Troupe codec figure is compared with: Kryo 5.6.2 as a careful user would set
 * it up without tuning. A {@code new Kryo()} (registration required, references off: Kryo 5's
 * defaults), the payload records registered with Kryo's default serializer for records (its
 * reflective {@code RecordSerializer}), the JDK immutable lists registered with Kryo's own
 * serializers for them, and one reused {@link Output} and {@link Input} per thread. Messages are
 * written with {@code writeClassAndObject}, since a receiver has to learn the type from the bytes,
 * as Troupe's do.
 *
 * <p>Thread safety: not thread-safe, like Kryo; one instance per thread.
 */
public final class NaiveKryo {
    private final Kryo kryo = new Kryo();
    private final Output output = new Output(4096, -1);
    private final Input input = new Input();

    public NaiveKryo() {
        kryo.register(Payload.Small.class);
        kryo.register(Payload.Medium.class);
        ImmutableCollectionsSerializers.registerSerializers(kryo);
    }

    /** Encodes into the reused buffer; returns the length, the bytes stay in {@link #buffer()}. */
    public int encode(Object message) {
        output.reset();
        kryo.writeClassAndObject(output, message);
        return output.position();
    }

    /** Encodes into a new array. */
    public byte[] encodeToArray(Object message) {
        output.reset();
        kryo.writeClassAndObject(output, message);
        return output.toBytes();
    }

    /**
     * The reused output buffer; valid up to the length {@link #encode} returned, until the next
     * call.
     */
    public byte[] buffer() {
        return output.getBuffer();
    }

    public Object decode(byte[] bytes) {
        input.setBuffer(bytes);
        return kryo.readClassAndObject(input);
    }

    /** Decodes {@code length} bytes at {@code offset} of a reused array. */
    public Object decode(byte[] bytes, int offset, int length) {
        input.setBuffer(bytes, offset, length);
        return kryo.readClassAndObject(input);
    }
}
