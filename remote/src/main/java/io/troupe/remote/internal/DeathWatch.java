package io.troupe.remote.internal;

import akka.actor.ActorRef;
import akka.actor.AddressTerminated;
import akka.actor.InternalActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.dispatch.sysmsg.DeathWatchNotification;
import akka.event.AddressTerminatedTopic;
import java.util.function.BiConsumer;

/**
 * Death watch across nodes, both ways: local actors watching remote ones (a {@link Control.Watch}
 * to the node, {@code Terminated} when it answers {@link Control.WatcheeTerminated} or goes down),
 * and remote nodes watching this node's exported actors (an export watcher actor notices them stop
 * and tells the watching nodes). The bookkeeping is {@link RemoteWatches}.
 *
 * <p>Thread safety: {@link #watch}, {@link #unwatch}, the control handlers and {@link #nodeDown} on
 * the transport thread; {@link #exported} from any thread (it only tells the watcher actor).
 */
final class DeathWatch {
    private final akka.actor.ActorSystem classic;
    private final Links links;
    private final Exports exports;
    private final BiConsumer<NodeLink, Control> sendControl;
    private final Commands commands;
    private final RemoteWatches watches = new RemoteWatches();
    private akka.actor.typed.ActorRef<Object> exportWatcher;

    DeathWatch(
            akka.actor.ActorSystem classic,
            Links links,
            Exports exports,
            Commands commands,
            BiConsumer<NodeLink, Control> sendControl) {
        this.classic = classic;
        this.links = links;
        this.exports = exports;
        this.commands = commands;
        this.sendControl = sendControl;
        exports.onExport(this::exported);
    }

    /** Starts the export watcher as a system actor named {@code name}, and returns it. */
    akka.actor.typed.ActorRef<Object> start(akka.actor.typed.ActorSystem<?> system, String name) {
        exportWatcher =
                system.systemActorOf(exportWatcherBehavior(), name, akka.actor.typed.Props.empty());
        return exportWatcher;
    }

    /** A local actor was exported: watch it, so its watchers on other nodes learn when it stops. */
    void exported(ActorRef ref) {
        exportWatcher.tell(ref);
    }

    /** Terminated for a ref whose node is gone or unknown, at once. Any thread. */
    static void terminatedNow(RemoteActorRef ref, InternalActorRef watcher) {
        watcher.sendSystemMessage(new DeathWatchNotification(ref, false, true));
    }

    void watch(RemoteActorRef ref, InternalActorRef watcher) {
        NodeLink link = links.get(ref.incarnation());
        if (link == null || !link.isUp()) {
            terminatedNow(ref, watcher);
        } else if (watches.addWatcher(ref, watcher)) {
            sendControl.accept(link, new Control.Watch(ref.exportId()));
        }
    }

    void unwatch(RemoteActorRef ref, ActorRef watcher) {
        NodeLink link = links.get(ref.incarnation());
        if (watches.removeWatcher(ref, watcher) && link != null && link.isUp()) {
            sendControl.accept(link, new Control.Unwatch(ref.exportId()));
        }
    }

    /** A node asks to watch one of this node's exports. */
    void onWatch(NodeLink from, Control.Watch w) {
        if (exports.get(w.exportId()) == null) {
            sendControl.accept(from, new Control.WatcheeTerminated(w.exportId(), false));
        } else {
            watches.watchedBy(w.exportId(), from.incarnation);
        }
    }

    void onUnwatch(NodeLink from, Control.Unwatch u) {
        watches.unwatchedBy(u.exportId(), from.incarnation);
    }

    void onWatcheeTerminated(NodeLink from, Control.WatcheeTerminated t) {
        watches.watcheeTerminated(from.incarnation, t.exportId(), t.existenceConfirmed());
    }

    /**
     * A node went down: its watchers here get {@code Terminated} through Akka's {@code
     * AddressTerminated}, and what it watched here is forgotten.
     */
    void nodeDown(NodeLink link) {
        watches.nodeDown(link.incarnation);
        AddressTerminatedTopic.get(classic).publish(new AddressTerminated(link.address));
    }

    private void exportTerminated(int exportId) {
        for (long watcherNode : watches.exportTerminated(exportId)) {
            NodeLink link = links.get(watcherNode);
            if (link != null && link.isUp()) {
                sendControl.accept(link, new Control.WatcheeTerminated(exportId, true));
            }
        }
    }

    private Behavior<Object> exportWatcherBehavior() {
        return Behaviors.setup(
                ctx ->
                        Behaviors.receive(Object.class)
                                .onMessage(
                                        ActorRef.class,
                                        ref -> {
                                            ctx.watch(Adapter.toTyped(ref));
                                            return Behaviors.same();
                                        })
                                .onSignal(Terminated.class, t -> onExportStopped(t.getRef()))
                                .build());
    }

    private Behavior<Object> onExportStopped(akka.actor.typed.ActorRef<Void> ref) {
        int id = exports.remove(Adapter.toClassic(ref));
        if (id != 0) {
            commands.submit(
                    new Commands.Command() {
                        @Override
                        public void run() {
                            exportTerminated(id);
                        }

                        @Override
                        public void refuse(String why) {
                            // The node is closed: the watching nodes learn it went down.
                        }
                    });
        }
        return Behaviors.same();
    }
}
