package io.troupe.core.internal.codec;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.io.KryoBufferUnderflowException;
import com.esotericsoftware.kryo.io.Output;
import io.troupe.core.TroupeException;
import io.troupe.core.codec.CodecException;
import io.troupe.core.codec.CodecLimits;
import io.troupe.core.codec.EncodedSink;
import java.io.OutputStream;

/**
 * Encodes and decodes whole messages: a type id, then the value. Every failure leaves as a {@link
 * CodecException} whose message says what was wrong; Kryo's own exceptions, and the JDK exceptions
 * a validating constructor throws, are translated here.
 *
 * <p>Thread safety: thread-safe; each call uses the calling thread's Kryo session.
 */
public final class CodecEngine {
    private final TypeRegistry registry;
    private final KryoSessions sessions;

    public CodecEngine(TypeRegistry registry) {
        this.registry = registry;
        this.sessions = new KryoSessions(registry);
    }

    public <R> R encode(Object message, EncodedSink<R> sink) {
        if (message == null) {
            throw new CodecException(
                    "Cannot encode null: a message must be a registered record or enum");
        }
        KryoSessions.Session s = sessions.acquire();
        try {
            s.output.begin(message.getClass());
            s.kryo.writeClassAndObject(s.output, message);
        } catch (RuntimeException | StackOverflowError e) {
            s.kryo.reset();
            try {
                throw encodeFailure(s, message, e);
            } finally {
                sessions.release(s);
            }
        }
        try {
            return sink.accept(s.output.getBuffer(), 0, s.output.position());
        } finally {
            sessions.release(s);
        }
    }

    public Object decode(byte[] buffer, int offset, int length) {
        int max = registry.limits().maxMessageBytes();
        if (length > max) {
            throw new CodecException(
                    "Frame rejected: "
                            + length
                            + " bytes is over the limit max-message-bytes = "
                            + max);
        }
        if (length <= 0 || offset < 0 || offset + length > buffer.length) {
            throw new CodecException(
                    "Frame rejected: empty or out-of-range frame (offset "
                            + offset
                            + ", length "
                            + length
                            + ", buffer "
                            + buffer.length
                            + " bytes)");
        }
        KryoSessions.Session s = sessions.acquire();
        try {
            s.input.setBuffer(buffer, offset, length);
            Object message = s.kryo.readClassAndObject(s.input);
            if (message == null) {
                throw new CodecException(
                        "Frame rejected: it encodes null, which is never a message");
            }
            int left = s.input.limit() - s.input.position();
            if (left != 0) {
                throw new CodecException(
                        "Corrupt frame: "
                                + left
                                + " bytes left over after a complete "
                                + message.getClass().getName());
            }
            return message;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            s.kryo.reset();
            throw translate(e, "Cannot decode a " + length + "-byte frame");
        } finally {
            sessions.release(s);
        }
    }

    /**
     * Why {@code message} could not be encoded. Over max-message-bytes or max-depth, it says so
     * with the size or depth found, the component being written and the setting to change: the
     * receiver would refuse the message for the same reason, so the sender must hear it.
     */
    private CodecException encodeFailure(KryoSessions.Session s, Object message, Throwable e) {
        String context = "Cannot encode " + message.getClass().getName();
        TroupeOutput out = s.output;
        String at =
                out.component() != null
                        ? " (the limit was reached in " + out.component() + ")"
                        : "";
        CodecLimits limits = registry.limits();
        if (e instanceof KryoBufferOverflowException) {
            long size = measure(s, message);
            return new CodecException(
                    context
                            + ": its encoding is "
                            + (size > 0 ? size + " bytes" : "larger than the limit")
                            + at
                            + ", over the limit troupe.core.codec.max-message-bytes = "
                            + limits.maxMessageBytes()
                            + ", so the receiving node would reject it. Split it into smaller"
                            + " messages, or raise troupe.core.codec.max-message-bytes on every node"
                            + " (and troupe.remote.max-message-bytes with it, across processes).",
                    e);
        }
        if (e instanceof KryoException
                && String.valueOf(e.getMessage()).contains("Max depth exceeded")) {
            return new CodecException(
                    context
                            + ": it nests records and collections more than "
                            + limits.maxDepth()
                            + " levels deep"
                            + at
                            + ", over the limit troupe.core.codec.max-depth = "
                            + limits.maxDepth()
                            + ", so the receiving node would reject it. Flatten the message, or raise"
                            + " troupe.core.codec.max-depth on every node.",
                    e);
        }
        return translate(e, context);
    }

    /**
     * The size {@code message} encodes to, counted without keeping the bytes; 0 if it cannot be
     * encoded at all. Only for the error of a message over max-message-bytes.
     */
    private static long measure(KryoSessions.Session s, Object message) {
        Output counting = new Output(OutputStream.nullOutputStream(), 64 * 1024);
        try {
            s.kryo.writeClassAndObject(counting, message);
            return counting.total();
        } catch (RuntimeException | StackOverflowError e) {
            return 0;
        } finally {
            s.kryo.reset();
        }
    }

    private CodecException translate(Throwable e, String context) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CodecException c) {
                return c;
            }
            if (t instanceof TroupeException te) {
                return new CodecException(te.getMessage(), te);
            }
        }
        if (e instanceof KryoBufferOverflowException) {
            return new CodecException(
                    context
                            + ": it is larger than max-message-bytes = "
                            + registry.limits().maxMessageBytes()
                            + " (split it into smaller messages, or raise troupe.core.codec.max-message-bytes)",
                    e);
        }
        if (e instanceof KryoBufferUnderflowException) {
            return new CodecException(
                    context + ": truncated frame (it ends in the middle of a value)", e);
        }
        if (e instanceof KryoException
                && String.valueOf(e.getMessage()).contains("Max depth exceeded")) {
            return new CodecException(
                    context + ": nesting deeper than max-depth = " + registry.limits().maxDepth(),
                    e);
        }
        if (e instanceof StackOverflowError || e instanceof OutOfMemoryError) {
            return new CodecException(
                    context
                            + ": "
                            + e.getClass().getSimpleName()
                            + " while following nested values",
                    e);
        }
        if (e instanceof IllegalArgumentException
                && String.valueOf(e.getMessage()).contains("not registered")) {
            return new CodecException(e.getMessage(), e);
        }
        return new CodecException(context + ": " + e, e);
    }
}
