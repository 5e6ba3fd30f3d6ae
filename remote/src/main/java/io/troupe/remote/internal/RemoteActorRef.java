package io.troupe.remote.internal;

import akka.actor.ActorPath;
import akka.actor.ActorRef;
import akka.actor.ActorRefProvider;
import akka.actor.Address;
import akka.actor.InternalActorRef;
import akka.actor.Nobody$;
import akka.actor.RootActorPath;
import akka.dispatch.sysmsg.SystemMessage;
import akka.dispatch.sysmsg.Unwatch;
import akka.dispatch.sysmsg.Watch;
import scala.collection.Iterator;

/**
 * A classic actor ref to an actor exported by another node; users see it wrapped as an ordinary
 * typed {@code ActorRef<T>}. {@code tell} encodes on the caller's thread and offers straight to the
 * peer's Aeron stream (no hand-off to another thread unless the stream is back-pressured); {@code
 * watch}/{@code unwatch} arrive here as system messages and become control frames.
 *
 * <p>A ref knows the protocol it was obtained for, when it was ({@link #protocol}), and refuses
 * other messages at the sender.
 *
 * <p>Identity is (node incarnation, export id): its path is {@code troupe://<node>@<incarnation
 * hex>:<pid>/a/<export id>} with the export id as uid, so two refs to the same remote actor are
 * equal however they were obtained, and a ref to an old incarnation never equals one to the new.
 *
 * <p>Thread safety: thread-safe and immutable, like every ActorRef.
 */
final class RemoteActorRef extends InternalActorRef {
    private static final long serialVersionUID = 1L;

    private final transient Transport transport;
    private final long incarnation;
    private final int exportId;
    private final transient Class<?> protocol;
    private final ActorPath path;

    /**
     * In cluster mode, the actor's path at its home node as {@code ActorRefResolver} writes it
     * (Artery address included), so that the ref can travel to other machines; else null.
     */
    private final String homePath;

    /** The link to this ref's node incarnation, once known; an incarnation's link never changes. */
    private transient volatile NodeLink link;

    RemoteActorRef(
            Transport transport,
            Address address,
            long incarnation,
            int exportId,
            Class<?> protocol,
            String homePath) {
        this.homePath = homePath;
        this.transport = transport;
        this.incarnation = incarnation;
        this.exportId = exportId;
        this.protocol = protocol;
        this.path =
                new RootActorPath(address, "/")
                        .$div("a")
                        .$div(Integer.toString(exportId))
                        .withUid(exportId);
    }

    static Address address(String node, long incarnation, long pid) {
        return new Address("troupe", node, Long.toHexString(incarnation), (int) pid);
    }

    NodeLink link() {
        return link;
    }

    void link(NodeLink l) {
        this.link = l;
    }

    long incarnation() {
        return incarnation;
    }

    int exportId() {
        return exportId;
    }

    /** The actor's Artery path at its home node (cluster mode), or null. */
    String homePath() {
        return homePath;
    }

    /**
     * The message type this ref was obtained for (the class a lookup named, the {@code T} of the
     * {@code ActorRef<T>} it arrived in, a spawned kind's protocol), or null if unknown: a message
     * of another type is refused at the sender. Two refs to one actor are equal whatever their
     * protocol (a narrowed ref is the same actor).
     */
    Class<?> protocol() {
        return protocol;
    }

    @Override
    public ActorPath path() {
        return path;
    }

    @Override
    public void $bang(Object message, ActorRef sender) {
        transport.send(this, message, sender);
    }

    @Override
    public void sendSystemMessage(SystemMessage message) {
        if (message instanceof Watch w) {
            if (equals(w.watchee()) && !equals(w.watcher())) {
                transport.watch(this, w.watcher());
            }
        } else if (message instanceof Unwatch u) {
            if (equals(u.watchee()) && !equals(u.watcher())) {
                transport.unwatch(this, u.watcher());
            }
        }
        // Other system messages (Create, Terminate, Supervise, ...) only concern local actors.
    }

    @Override
    public ActorRefProvider provider() {
        return transport.provider();
    }

    @Override
    public boolean isLocal() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false; // as for Akka's own remote refs: only a watch can tell
    }

    @Override
    public InternalActorRef getParent() {
        return Nobody$.MODULE$;
    }

    @Override
    public InternalActorRef getChild(Iterator<String> name) {
        return Nobody$.MODULE$;
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
