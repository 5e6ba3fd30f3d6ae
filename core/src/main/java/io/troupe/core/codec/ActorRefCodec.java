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
     * Reads what {@link #write} wrote. Input is untrusted: throw {@link CodecException} for
     * anything malformed, and check lengths with {@link WireFormat}'s readers.
     */
    ActorRef<?> read(Input input, CodecLimits limits);
}
