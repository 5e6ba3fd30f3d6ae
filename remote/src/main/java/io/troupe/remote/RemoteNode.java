package io.troupe.remote;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.javadsl.Adapter;
import io.troupe.core.Protocol;
import io.troupe.core.Troupe;
import io.troupe.remote.internal.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * This actor system's node in a Troupe cluster: actors in other processes on this machine reach its
 * published actors, and its actors reach theirs, over Aeron IPC. One node per {@code ActorSystem},
 * configured under {@code troupe.remote} (see the module's reference.conf), started by the first
 * {@link #get} and stopped with the actor system.
 *
 * <pre>{@code
 * RemoteNode node = RemoteNode.get(system);            // joins the cluster
 * node.register(Counter.Command.class);                // checks immutability, assigns wire ids
 * node.publish("counter", counter);                    // reachable as ("alpha", "counter")
 * node.lookup("alpha", "counter", Counter.Command.class)
 *     .thenAccept(c -> c.tell(new Counter.Increment(1)));
 * }</pre>
 *
 * <p>A remote ref is an ordinary {@code ActorRef}: tell, ask, watch it, and send it inside
 * messages. Delivery is at most once with per sender-receiver ordering; what cannot be delivered
 * goes to dead letters ({@code akka.actor.Dropped}) with the reason, and is counted.
 *
 * <p>Thread safety: thread-safe.
 */
public final class RemoteNode implements Extension {
    private static final Id ID = new Id();

    private final ActorSystem<?> system;
    private final Transport transport;

    private RemoteNode(ActorSystem<?> system) {
        this.system = system;
        this.transport =
                new Transport(system, RemoteSettings.fromConfig(system.settings().config()));
        CoordinatedShutdown.get(Adapter.toClassic(system))
                .addTask(
                        CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
                        "troupe-remote-leave",
                        () -> {
                            transport.close();
                            return CompletableFuture.completedFuture(Done.getInstance());
                        });
        system.getWhenTerminated().thenRun(transport::close);
    }

    /** This system's node, started on first use. */
    public static RemoteNode get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    /** The node's name ({@code troupe.remote.node-name}). */
    public String name() {
        return transport.settingsNodeName();
    }

    /** This process run's incarnation of the node name. */
    public long incarnation() {
        return transport.incarnationId();
    }

    public Path aeronDirectory() {
        return transport.driver().aeronDirectory();
    }

    /**
     * Whether the media driver runs inside this process (then the cluster needs this process to
     * stay up).
     */
    public boolean hostsDriver() {
        return transport.driver().hostsDriver();
    }

    /**
     * Registers a protocol for sending and receiving: runs the immutability check and assigns wire
     * ids. Every process that sends or receives a protocol registers it.
     */
    public Protocol register(Class<?> protocolRoot) {
        return Troupe.get(system).register(protocolRoot);
    }

    /**
     * Makes a local actor reachable by other nodes as {@code (name(), actorName)}.
     *
     * @throws RemoteException if another actor is published under that name
     */
    public <T> void publish(String actorName, ActorRef<T> actor) {
        if (actorName == null || actorName.isBlank()) {
            throw new RemoteException(
                    "Cannot publish under the name '" + actorName + "': give a non-blank name");
        }
        transport.publish(actorName, actor);
    }

    /** Removes a published name; the actor stays reachable through refs already handed out. */
    public boolean unpublish(String actorName) {
        return transport.unpublish(actorName);
    }

    /**
     * Looks up an actor published on {@code node}, waiting up to {@code
     * troupe.remote.lookup-timeout}.
     */
    public <T> CompletionStage<ActorRef<T>> lookup(
            String node, String actorName, Class<T> protocol) {
        return lookup(node, actorName, protocol, transport.lookupTimeout());
    }

    /**
     * Looks up an actor published on {@code node}. The protocol is registered (and checked) here if
     * it was not yet. The stage fails with a {@link RemoteException} saying whether the node or the
     * name was missing when nothing answers within {@code timeout}.
     */
    @SuppressWarnings("unchecked")
    public <T> CompletionStage<ActorRef<T>> lookup(
            String node, String actorName, Class<T> protocol, Duration timeout) {
        register(protocol);
        return transport
                .lookup(node, actorName, timeout)
                .thenApply(ref -> (ActorRef<T>) (ActorRef<?>) ref);
    }

    /** Lets other nodes spawn actors of this kind here; registers (and checks) its protocol. */
    public void registerKind(ActorKind<?> kind) {
        transport.registerKind(kind);
    }

    /** Spawns an actor of {@code kind} on {@code node} under a generated name. */
    public <T> CompletionStage<ActorRef<T>> spawn(String node, ActorKind<T> kind) {
        return spawn(node, kind, null);
    }

    /**
     * Spawns an actor of {@code kind} on {@code node} (which may be this node) as a child of that
     * node's spawner, so Akka's supervision applies there; the caller may watch the returned ref.
     * The stage fails with a {@link RemoteException} when the node is not up, the kind is not
     * registered there, the name is taken, or nothing answers within the lookup timeout.
     */
    public <T> CompletionStage<ActorRef<T>> spawn(
            String node, ActorKind<T> kind, String actorName) {
        return spawn(node, kind, actorName, false);
    }

    @SuppressWarnings("unchecked")
    <T> CompletionStage<ActorRef<T>> spawn(
            String node, ActorKind<T> kind, String actorName, boolean countLoad) {
        register(kind.protocol());
        return transport
                .spawn(node, kind.name(), actorName, countLoad, transport.lookupTimeout())
                .thenApply(ref -> (ActorRef<T>) (ActorRef<?>) ref);
    }

    /** The actor system this node belongs to. */
    public ActorSystem<?> system() {
        return system;
    }

    /** Internal hook for {@link ProcessPool}: membership events on the transport thread. */
    void addListener(Consumer<MembershipEvent> listener) {
        transport.addListener(listener);
    }

    RemoteSettings settings() {
        return transport.settings();
    }

    /** The other nodes that are up now. */
    public List<Member> members() {
        return transport.members();
    }

    /** Delivers a {@link MembershipEvent.NodeUp} for each node up now, then every change. */
    public void subscribe(ActorRef<MembershipEvent> subscriber) {
        transport.subscribe(subscriber);
    }

    public void unsubscribe(ActorRef<MembershipEvent> subscriber) {
        transport.unsubscribe(subscriber);
    }

    /**
     * A counter's value: {@code msgs-sent}, {@code bytes-sent}, {@code msgs-received}, {@code
     * bytes-received}, {@code back-pressure-events}, {@code dead-letters}, {@code decode-failures},
     * {@code rejected-frames}. The same figures appear in Aeron's {@code AeronStat} as {@code
     * troupe <node> <counter>}.
     */
    public long counter(String name) {
        return transport.counter(name);
    }

    /**
     * How many local actors other nodes can address right now (published or handed out in
     * messages).
     */
    public int exportedActors() {
        return transport.exportedCount();
    }

    /** Leaves the cluster now; also happens when the actor system terminates. Idempotent. */
    public void leave() {
        transport.close();
    }

    static final class Id extends ExtensionId<RemoteNode> {
        @Override
        public RemoteNode createExtension(ActorSystem<?> system) {
            return new RemoteNode(system);
        }
    }
}
