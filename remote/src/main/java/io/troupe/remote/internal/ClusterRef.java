package io.troupe.remote.internal;

import akka.actor.ActorPath;
import akka.actor.ActorRef;
import akka.actor.ActorRefProvider;
import akka.actor.InternalActorRef;
import akka.dispatch.sysmsg.SystemMessage;
import akka.dispatch.sysmsg.Unwatch;
import akka.dispatch.sysmsg.Watch;
import scala.collection.Iterator;

/**
 * A ref to an actor on another machine, carried by Artery: the Artery ref Akka resolved from the
 * actor's home path, plus the actor's Troupe identity (home node incarnation, export id), so that
 * the ref can travel on and come back to IPC on the actor's own machine (A1 -> B1 -> A2 reaches A1
 * over IPC). Tells go, encoded by Troupe's codec, to the home node's gateway, which checks them as
 * the IPC inbound path does ({@link ClusterGateway}); watches go to the Artery ref; its path and
 * uid are the Artery ref's, so {@code Terminated} for it matches a watch on this ref. Like a {@link
 * RemoteActorRef}, it refuses at the sender a message outside the protocol it was obtained for.
 *
 * <p>Thread safety: thread-safe and immutable.
 */
final class ClusterRef extends InternalActorRef {
    private static final long serialVersionUID = 1L;

    private final transient Transport transport;
    private final InternalActorRef artery;
    private final ActorRef gateway;
    private final long incarnation;
    private final int exportId;
    private final String homePath;
    private final transient Class<?> protocol;

    ClusterRef(
            Transport transport,
            InternalActorRef artery,
            ActorRef gateway,
            long incarnation,
            int exportId,
            String homePath,
            Class<?> protocol) {
        this.transport = transport;
        this.protocol = protocol;
        this.artery = artery;
        this.gateway = gateway;
        this.incarnation = incarnation;
        this.exportId = exportId;
        this.homePath = homePath;
    }

    long incarnation() {
        return incarnation;
    }

    int exportId() {
        return exportId;
    }

    String homePath() {
        return homePath;
    }

    /** The message type this ref was obtained for, or null: others are refused at the sender. */
    Class<?> protocol() {
        return protocol;
    }

    InternalActorRef artery() {
        return artery;
    }

    /** The home node's gateway, where tells go (so that they are checked there). */
    ActorRef gateway() {
        return gateway;
    }

    @Override
    public ActorPath path() {
        return artery.path();
    }

    @Override
    public void $bang(Object message, ActorRef sender) {
        transport.sendAcross(this, message, sender);
    }

    @Override
    public void sendSystemMessage(SystemMessage message) {
        if (message instanceof Watch w && w.watchee() == this) {
            artery.sendSystemMessage(new Watch(artery, w.watcher()));
        } else if (message instanceof Unwatch u && u.watchee() == this) {
            artery.sendSystemMessage(new Unwatch(artery, u.watcher()));
        } else {
            artery.sendSystemMessage(message);
        }
    }

    @Override
    public ActorRefProvider provider() {
        return artery.provider();
    }

    @Override
    public boolean isLocal() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return artery.isTerminated();
    }

    @Override
    public InternalActorRef getParent() {
        return artery.getParent();
    }

    @Override
    public InternalActorRef getChild(Iterator<String> name) {
        return artery.getChild(name);
    }

    @Override
    public void start() {}

    @Override
    public void resume(Throwable causedByFailure) {}

    @Override
    public void suspend() {}

    @Override
    public void restart(Throwable cause) {}

    @Override
    public void stop() {}
}
