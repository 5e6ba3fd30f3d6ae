package io.troupe.core.codec;

import io.troupe.core.Protocol;
import io.troupe.core.internal.codec.CodecEngine;
import io.troupe.core.internal.codec.TypeIds;
import io.troupe.core.internal.codec.TypeRegistry;
import java.util.Arrays;

/**
 * Troupe's Kryo codec: turns registered, immutable messages into bytes and back.
 *
 * <ul>
 *   <li>Registration is always required, and runs the {@link io.troupe.core.ProtocolCheck}.
 *   <li>A type's wire id is derived from its name (see {@link io.troupe.core.WireName}), so
 *       processes that register the same protocols in any order understand each other; a clash of
 *       ids is an error at registration.
 *   <li>Supported: records (nested too), enums, sealed interfaces of them, boxed primitives, {@code
 *       String}, {@code UUID}, {@code BigDecimal}/{@code BigInteger}, {@code java.time} values,
 *       {@link io.troupe.core.Bytes} (length and raw bytes, no per-byte overhead), JDK immutable
 *       {@code List}/{@code Set}/{@code Map}, {@code Optional}, and {@code ActorRef}s through an
 *       {@link ActorRefCodec}.
 *   <li>Encoding and decoding both enforce {@link CodecLimits} (so the sender, not only the
 *       receiver, hears of an over-limit message); every failure is a {@link CodecException}.
 * </ul>
 *
 * <p>Thread safety: thread-safe. Each thread encodes and decodes with its own Kryo instance and
 * buffers; registering is safe while other threads encode.
 */
public final class MessageCodec {
    private final TypeRegistry registry;
    private final CodecEngine engine;

    public MessageCodec(CodecLimits limits) {
        this.registry = new TypeRegistry(limits);
        this.engine = new CodecEngine(registry);
    }

    /** A codec with {@link CodecLimits#defaults()}. */
    public static MessageCodec create() {
        return new MessageCodec(CodecLimits.defaults());
    }

    /**
     * Checks the protocol rooted at {@code root} and registers every type it reaches. Idempotent.
     *
     * @throws io.troupe.core.ProtocolViolationException if a reachable type is not immutable
     * @throws CodecException if a type's wire id clashes with an already registered type's
     */
    public Protocol register(Class<?> root) {
        return registry.register(root);
    }

    public boolean isRegistered(Class<?> type) {
        return registry.isRegistered(type);
    }

    /** The wire id a type has (or would have) when registered, from its wire name alone. */
    public static int wireId(Class<?> type) {
        return TypeIds.idOf(type);
    }

    public CodecLimits limits() {
        return registry.limits();
    }

    /** Installs how {@code ActorRef}s inside messages are written and read. */
    public MessageCodec actorRefCodec(ActorRefCodec codec) {
        registry.actorRefCodec(codec);
        return this;
    }

    /** Encodes into a new array. */
    public byte[] encode(Object message) {
        return engine.encode(message, (buf, off, len) -> Arrays.copyOfRange(buf, off, off + len));
    }

    /**
     * Encodes into the calling thread's buffer and hands it to {@code sink} without a copy; the
     * bytes are valid only during the call.
     */
    public <R> R encode(Object message, EncodedSink<R> sink) {
        return engine.encode(message, sink);
    }

    public Object decode(byte[] bytes) {
        return engine.decode(bytes, 0, bytes.length);
    }

    /** Decodes {@code length} bytes at {@code offset}; the bytes are not retained. */
    public Object decode(byte[] buffer, int offset, int length) {
        return engine.decode(buffer, offset, length);
    }
}
