package io.troupe.core.codec;

import akka.actor.typed.ActorRef;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Writes and reads the {@code ActorRef}s inside messages. Core's default writes Akka actor paths
 * (good inside one process and for Akka remoting); the remote module installs one that writes node,
 * incarnation and actor ids, so a ref that crosses processes still works at the receiver.
 *
 * <p>Thread safety: implementations are called concurrently from any thread that encodes or
 * decodes, and must be thread-safe.
 */
public interface ActorRefCodec {
    /** Writes a non-null ref. */
    void write(Output output, ActorRef<?> ref);

    /**
     * Writes a non-null ref that a message carries in a component declared {@code
     * ActorRef<messageType>}: what the ref's actor will be sent through it. {@code messageType} is
     * null where the declaration does not say ({@code ActorRef<?>}). The default ignores it.
     */
    default void write(Output output, ActorRef<?> ref, Class<?> messageType) {
        write(output, ref);
    }

    /**
     * Reads what {@link #write} wrote. Input is untrusted: throw {@link CodecException} for
     * anything malformed, and check lengths with {@link WireFormat}'s readers.
     */
    ActorRef<?> read(Input input, CodecLimits limits);

    /**
     * Reads a ref from a component declared {@code ActorRef<messageType>} ({@code messageType} null
     * where the declaration does not say), so the ref may refuse messages of other types. The
     * default ignores it.
     */
    default ActorRef<?> read(Input input, CodecLimits limits, Class<?> messageType) {
        return read(input, limits);
    }
}
