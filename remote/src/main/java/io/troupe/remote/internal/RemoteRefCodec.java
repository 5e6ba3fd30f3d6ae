package io.troupe.remote.internal;

import akka.actor.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.troupe.core.codec.ActorRefCodec;
import io.troupe.core.codec.CodecException;
import io.troupe.core.codec.CodecLimits;

/**
 * Writes an {@code ActorRef} inside a message as (node incarnation: 8 bytes, export id: varint). A
 * local actor is exported the first time a ref to it is written. Reading gives back the original
 * local actor when the incarnation is this node's, and a {@link RemoteActorRef} otherwise; refs to
 * an earlier incarnation of this node resolve to dead letters, never to an actor of this run.
 *
 * <p>Thread safety: thread-safe; called on any encoding thread and on the transport thread.
 */
final class RemoteRefCodec implements ActorRefCodec {
    private final Transport transport;

    RemoteRefCodec(Transport transport) {
        this.transport = transport;
    }

    @Override
    public void write(Output output, akka.actor.typed.ActorRef<?> ref) {
        write(output, ref, null);
    }

    /**
     * A local actor is exported for {@code messageType}, the {@code T} of the component's {@code
     * ActorRef<T>}: messages of other types sent through the ref are refused.
     */
    @Override
    public void write(Output output, akka.actor.typed.ActorRef<?> ref, Class<?> messageType) {
        ActorRef classic = Adapter.toClassic(ref);
        if (classic instanceof RemoteActorRef remote) {
            output.writeLong(remote.incarnation());
            output.writeVarInt(remote.exportId(), true);
        } else {
            output.writeLong(transport.incarnation());
            output.writeVarInt(transport.export(classic, messageType), true);
        }
    }

    @Override
    public akka.actor.typed.ActorRef<?> read(Input input, CodecLimits limits) {
        return read(input, limits, null);
    }

    @Override
    public akka.actor.typed.ActorRef<?> read(
            Input input, CodecLimits limits, Class<?> messageType) {
        long incarnation = input.readLong();
        int exportId = input.readVarInt(true);
        if (incarnation <= 0 || exportId <= 0) {
            throw new CodecException(
                    "Corrupt frame: an ActorRef with incarnation "
                            + incarnation
                            + " and export id "
                            + exportId
                            + " (both are always positive)");
        }
        if (incarnation == transport.incarnation()) {
            return Adapter.toTyped(transport.localExport(exportId));
        }
        return Adapter.toTyped(transport.remoteRef(incarnation, exportId, messageType));
    }
}
