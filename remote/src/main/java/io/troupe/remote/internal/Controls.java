package io.troupe.remote.internal;

import akka.actor.ActorRef;
import java.util.function.BiConsumer;

/**
 * Dispatches the control messages other nodes send this node (lookups, watches, spawns and their
 * answers) to the part that owns each.
 *
 * <p>Thread safety: transport thread only.
 */
final class Controls implements Inbound.ControlHandler {
    private final Names names;
    private final Lookups lookups;
    private final Spawns spawns;
    private final DeathWatch deathWatch;
    private final Exports exports;
    private final RefFactory refs;
    private final BiConsumer<NodeLink, Control> sendControl;
    private final Rejections rejections;

    /** Makes refs to actors of other nodes. */
    interface RefFactory {
        ActorRef remoteRef(long incarnation, int exportId, Class<?> protocol);
    }

    Controls(
            Names names,
            Lookups lookups,
            Spawns spawns,
            DeathWatch deathWatch,
            Exports exports,
            RefFactory refs,
            BiConsumer<NodeLink, Control> sendControl,
            Rejections rejections) {
        this.names = names;
        this.lookups = lookups;
        this.spawns = spawns;
        this.deathWatch = deathWatch;
        this.exports = exports;
        this.refs = refs;
        this.sendControl = sendControl;
        this.rejections = rejections;
    }

    @Override
    public void onControl(NodeLink from, Control message) {
        if (message instanceof Control.Lookup lookup) {
            sendControl.accept(from, names.answer(lookup.requestId(), lookup.name()));
        } else if (message instanceof Control.LookupReply reply) {
            lookups.onReply(from.incarnation, reply);
        } else if (message instanceof Control.Watch w) {
            deathWatch.onWatch(from, w);
        } else if (message instanceof Control.Unwatch u) {
            deathWatch.onUnwatch(from, u);
        } else if (message instanceof Control.WatcheeTerminated t) {
            deathWatch.onWatcheeTerminated(from, t);
        } else if (message instanceof Control.Spawn spawn) {
            long requestId = spawn.requestId();
            spawns.host(
                    spawn.kind(),
                    spawn.actorName(),
                    spawn.countLoad(),
                    result ->
                            sendControl.accept(
                                    from,
                                    result instanceof Spawns.Spawned s
                                            ? new Control.SpawnReply(
                                                    requestId, exportSpawned(s), "")
                                            : new Control.SpawnReply(
                                                    requestId, 0, String.valueOf(result))));
        } else if (message instanceof Control.SpawnReply reply) {
            spawns.onReply(reply, (id, protocol) -> refs.remoteRef(from.incarnation, id, protocol));
        } else {
            rejections.reject(
                    "a "
                            + message.getClass().getSimpleName()
                            + " control frame from node "
                            + from.name,
                    false);
        }
    }

    /** Exports a spawned actor for its kind's protocol (and the pool's load queries). */
    int exportSpawned(Spawns.Spawned s) {
        int id = exports.export(s.ref(), s.protocol());
        if (s.countLoad()) {
            exports.export(s.ref(), Control.LoadQuery.class);
        }
        return id;
    }
}
