package io.troupe.core.akka;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.troupe.core.codec.ActorRefCodec;
import io.troupe.core.codec.CodecException;
import io.troupe.core.codec.CodecLimits;
import io.troupe.core.codec.WireFormat;

/**
 * Writes an {@code ActorRef} as Akka's serialization format of its path ({@link ActorRefResolver}),
 * which resolves back to the same actor in this process, and to a remote actor under Akka remoting.
 * The remote module replaces it with a node-aware codec.
 *
 * <p>Thread safety: thread-safe ({@link ActorRefResolver} is).
 */
public final class PathActorRefCodec implements ActorRefCodec {
    private final ActorRefResolver resolver;

    public PathActorRefCodec(ActorSystem<?> system) {
        this.resolver = ActorRefResolver.get(system);
    }

    @Override
    public void write(Output output, ActorRef<?> ref) {
        WireFormat.writeString(output, resolver.toSerializationFormat(ref));
    }

    @Override
    public ActorRef<?> read(Input input, CodecLimits limits) {
        String path = WireFormat.readString(input, limits, "an actor path");
        if (path == null) {
            throw new CodecException("Corrupt frame: a null actor path");
        }
        try {
            return resolver.resolveActorRef(path);
        } catch (RuntimeException e) {
            throw new CodecException(
                    "Frame rejected: '"
                            + path
                            + "' is not an actor path this system can resolve ("
                            + e.getMessage()
                            + ")",
                    e);
        }
    }
}
