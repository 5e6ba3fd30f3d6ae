package io.troupe.core;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import io.troupe.core.akka.PathActorRefCodec;
import io.troupe.core.codec.CodecLimits;
import io.troupe.core.codec.MessageCodec;

/**
 * Troupe's per-{@code ActorSystem} state: the message codec and its registered protocols. The Akka
 * serializer bridge ({@link io.troupe.core.akka.TroupeSerializer}) and the remote node both use
 * this codec, so a protocol registered once is known to all of them.
 *
 * <pre>{@code
 * Troupe.get(system).register(Counter.Command.class); // checks immutability, assigns wire ids
 * }</pre>
 *
 * <p>Thread safety: thread-safe; one instance per actor system, created on first use.
 */
public final class Troupe implements Extension {
    private static final Id ID = new Id();

    private final MessageCodec codec;

    private Troupe(ActorSystem<?> system) {
        this.codec =
                new MessageCodec(CodecLimits.fromConfig(system.settings().config()))
                        .actorRefCodec(new PathActorRefCodec(system));
    }

    public static Troupe get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    /**
     * Checks the protocol rooted at {@code root} (usually an actor's sealed {@code Command}
     * interface) and registers its types with this system's codec.
     *
     * @throws ProtocolViolationException if a message type is not immutable
     */
    public Protocol register(Class<?> root) {
        return codec.register(root);
    }

    /** This system's codec. */
    public MessageCodec codec() {
        return codec;
    }

    static final class Id extends ExtensionId<Troupe> {
        @Override
        public Troupe createExtension(ActorSystem<?> system) {
            return new Troupe(system);
        }
    }
}
