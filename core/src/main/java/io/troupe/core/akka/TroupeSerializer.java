package io.troupe.core.akka;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.JSerializer;
import io.troupe.core.Troupe;
import io.troupe.core.codec.MessageCodec;

/**
 * Akka's view of Troupe's codec. Bound in core's {@code reference.conf} to records and enums, so
 * that {@code akka.actor.serialize-messages = on}, and any Akka remoting a user adds, carry
 * registered protocols through the same Kryo codec and fail, with a message that names the class
 * and the fix, for unregistered or mutable ones.
 *
 * <p>No manifest is needed: Troupe's bytes start with the type's stable wire id.
 *
 * <p>Thread safety: thread-safe, as Akka requires of serializers.
 */
public final class TroupeSerializer extends JSerializer {
    /** Akka serializer id ("trou" in ASCII); ids 0-40 are Akka's own. */
    public static final int IDENTIFIER = 0x74726f75;

    private final ExtendedActorSystem system;
    private volatile MessageCodec codec;

    public TroupeSerializer(ExtendedActorSystem system) {
        this.system = system;
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public boolean includeManifest() {
        return false;
    }

    @Override
    public byte[] toBinary(Object o) {
        return codec().encode(o);
    }

    @Override
    public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
        return codec().decode(bytes);
    }

    private MessageCodec codec() {
        MessageCodec c = codec;
        if (c == null) {
            c =
                    Troupe.get(Adapter.toTyped(system))
                            .codec(); // lazily: serializers are built while the system starts
            codec = c;
        }
        return c;
    }
}
