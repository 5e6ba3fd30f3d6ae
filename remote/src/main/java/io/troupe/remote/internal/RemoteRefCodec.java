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
        if (transport.clusterMode()) {
            writeGlobal(output, classic, messageType);
        } else if (classic instanceof RemoteActorRef remote) {
            output.writeLong(remote.incarnation());
            output.writeVarInt(remote.exportId(), true);
        } else {
            output.writeLong(transport.incarnation());
            output.writeVarInt(transport.export(classic, messageType), true);
        }
    }

    /**
     * Cluster mode: (home incarnation, export id, home path), the same for IPC and for Artery, so
     * that a ref keeps its identity across machines. A ref Akka resolved by itself (no Troupe
     * export behind it) is written with incarnation and export id 0: only its path.
     */
    private void writeGlobal(Output output, ActorRef classic, Class<?> messageType) {
        long incarnation;
        int exportId;
        String path;
        if (classic instanceof RemoteActorRef remote) {
            incarnation = remote.incarnation();
            exportId = remote.exportId();
            path = remote.homePath();
        } else if (classic instanceof ClusterRef c) {
            incarnation = c.incarnation();
            exportId = c.exportId();
            path = c.homePath();
        } else if (classic instanceof akka.actor.ActorRefScope scope && scope.isLocal()) {
            incarnation = transport.incarnation();
            exportId = transport.export(classic, messageType);
            path = transport.homePath(classic);
        } else {
            incarnation = 0;
            exportId = 0;
            path = transport.homePath(classic);
        }
        output.writeLong(incarnation);
        output.writeVarInt(exportId, true);
        output.writeString(path == null ? "" : path);
    }

    @Override
    public akka.actor.typed.ActorRef<?> read(Input input, CodecLimits limits) {
        return read(input, limits, null);
    }

    @Override
    public akka.actor.typed.ActorRef<?> read(
            Input input, CodecLimits limits, Class<?> messageType) {
        if (transport.clusterMode()) {
            return readGlobal(input, limits, messageType);
        }
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

    /**
     * Cluster mode: this node's own export; an actor of another node of this machine over IPC; else
     * the Artery ref of its home path (a {@link ClusterRef}, keeping its identity).
     */
    private akka.actor.typed.ActorRef<?> readGlobal(
            Input input, CodecLimits limits, Class<?> messageType) {
        long incarnation = input.readLong();
        int exportId = input.readVarInt(true);
        String path = input.readString();
        if (incarnation < 0 || exportId < 0 || (incarnation == 0) != (exportId == 0)) {
            throw new CodecException(
                    "Corrupt frame: an ActorRef with incarnation "
                            + incarnation
                            + " and export id "
                            + exportId
                            + " (both positive, or both 0 for a ref with a path only)");
        }
        if (path == null || path.length() > limits.maxStringBytes()) {
            throw new CodecException(
                    "Corrupt frame: an ActorRef without a home path, or with one over "
                            + limits.maxStringBytes()
                            + " bytes");
        }
        if (incarnation != 0 && incarnation == transport.incarnation()) {
            return Adapter.toTyped(transport.localExport(exportId));
        }
        if (incarnation != 0 && transport.isLinkUp(incarnation)) {
            return Adapter.toTyped(transport.remoteRef(incarnation, exportId, messageType, path));
        }
        if (path.isEmpty()) {
            throw new CodecException(
                    "An ActorRef to node incarnation "
                            + Long.toHexString(incarnation)
                            + ", which is not on this machine, came without its home path");
        }
        if (incarnation == 0) {
            return Adapter.toTyped(transport.resolvePath(path));
        }
        return Adapter.toTyped(transport.clusterRef(incarnation, exportId, path, messageType));
    }
}
