package io.troupe.remote;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.javadsl.Adapter;
import io.troupe.core.Protocol;
import io.troupe.core.Troupe;
import io.troupe.remote.internal.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Incarnations: the node runs as one incarnation of its name at a time. With {@code
 * troupe.remote.on-evicted = "rejoin"}, a node the cluster declared down joins again as a new one
 * ({@link #incarnation} changes); what the application registered here (published names, kinds,
 * subscribers) carries over, refs from before do not.
 *
 * <p>Thread safety: thread-safe. Registrations (publish, unpublish, registerKind, subscribe,
 * unsubscribe) wait while a rejoin is under way (well under a second), so none is lost.
 */
public final class RemoteNode implements Extension {
    private static final Id ID = new Id();
    private static final Logger LOG = LoggerFactory.getLogger(RemoteNode.class);

    private record Published(ActorRef<?> ref, Class<?> protocol) {}

    private final ActorSystem<?> system;
    private final RemoteSettings settings;

    /** The current incarnation's transport; replaced only by a rejoin, under this lock. */
    private volatile Transport transport;

    /** True while a rejoin replaces the transport: the node is not closed for good. */
    private volatile boolean rejoining;

    // What the application registered, carried to every incarnation. Guarded by this.
    private final Map<String, Published> published = new LinkedHashMap<>();
    private final List<ActorKind<?>> kinds = new ArrayList<>();
    private final Set<ActorRef<MembershipEvent>> subscribers = new LinkedHashSet<>();
    private final List<Consumer<MembershipEvent>> listeners = new ArrayList<>();
    private boolean left; // guarded by this

    /**
     * A node that is also an Akka Cluster member must be set up as one: through {@code
     * troupe.cluster.*} (which gives it the role that carries its node name), and with its actor
     * system named after the cluster, since Akka Cluster joins only systems of one name.
     */
    private static void checkClusterMode(ActorSystem<?> system, RemoteSettings settings) {
        com.typesafe.config.Config config = system.settings().config();
        if (!"cluster".equals(config.getString("akka.actor.provider"))) {
            return;
        }
        if (!config.getStringList("akka.cluster.roles")
                .contains(
                        io.troupe.remote.cluster.ClusterSettings.ROLE_PREFIX
                                + settings.nodeName())) {
            throw new RemoteException(
                    "Actor system '"
                            + system.name()
                            + "' runs Akka Cluster (akka.actor.provider = cluster) but not as a"
                            + " Troupe node of the cluster: set troupe.cluster.enabled = on (with"
                            + " troupe.cluster.hostname, port and seed-nodes) and create the system"
                            + " with the config of io.troupe.core.TroupeConfig.load(), which derives"
                            + " Akka's cluster settings from them");
        }
        if (!system.name().equals(settings.clusterName())) {
            throw new RemoteException(
                    "Actor system '"
                            + system.name()
                            + "' is an Akka Cluster member of Troupe cluster '"
                            + settings.clusterName()
                            + "', and Akka Cluster joins only actor systems of one name: name the"
                            + " system after troupe.remote.cluster-name, e.g. ActorSystem.create(behavior, \""
                            + settings.clusterName()
                            + "\", TroupeConfig.load())");
        }
    }

    private RemoteNode(ActorSystem<?> system) {
        this.system = system;
        this.settings = RemoteSettings.fromConfig(system.settings().config());
        checkClusterMode(system, settings);
        this.transport = startTransport(null);
        if ("cluster".equals(system.settings().config().getString("akka.actor.provider"))) {
            LOG.info(
                    "Node {} runs in cluster mode: Akka Cluster node {}, over {}",
                    settings.nodeName(),
                    system.address(),
                    io.troupe.remote.cluster.ClusterSettings.describeTransport(
                            system.settings().config()));
            // Lookups from other machines; it answers from whichever incarnation is current.
            system.systemActorOf(
                    io.troupe.remote.internal.ClusterService.behavior(() -> transport),
                    io.troupe.remote.internal.ClusterService.NAME,
                    akka.actor.typed.Props.empty());
            // Messages from other machines, checked as the IPC inbound path checks them.
            ((akka.actor.ExtendedActorSystem) Adapter.toClassic(system))
                    .systemActorOf(
                            io.troupe.remote.internal.ClusterGateway.props(() -> transport),
                            io.troupe.remote.internal.ClusterGateway.NAME);
            // Only now, ready to answer other machines, does the node become a member.
            List<akka.actor.Address> seeds = new java.util.ArrayList<>();
            for (String seed :
                    io.troupe.remote.cluster.ClusterSettings.seedNodes(
                            system.settings().config())) {
                seeds.add(akka.actor.AddressFromURIString.parse(seed));
            }
            if (!seeds.isEmpty()) {
                akka.cluster.Cluster.get(Adapter.toClassic(system)).joinSeedNodes(seeds);
            }
            io.troupe.remote.internal.RemotingShutdownGuard.install(
                    system,
                    io.troupe.remote.cluster.ClusterSettings.remotingShutdownTimeout(
                            system.settings().config()));
        }
        CoordinatedShutdown.get(Adapter.toClassic(system))
                .addTask(
                        CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
                        "troupe-remote-leave",
                        () -> {
                            leave();
                            return CompletableFuture.completedFuture(Done.getInstance());
                        });
        system.getWhenTerminated().thenRun(this::leave);
    }

    /** A transport: the first incarnation, or the next after {@code evicted}. */
    private Transport startTransport(Transport evicted) {
        return new Transport(
                system,
                settings,
                evicted,
                evicted == null ? t -> {} : this::carryOver,
                settings.onEvicted() == RemoteSettings.OnEvicted.REJOIN ? this::rejoin : null);
    }

    /** Gives a new incarnation what the application registered. Under this lock (a rejoin). */
    private void carryOver(Transport next) {
        for (ActorKind<?> kind : kinds) {
            next.registerKind(kind);
        }
        for (Map.Entry<String, Published> e : published.entrySet()) {
            next.publish(e.getKey(), e.getValue().ref(), e.getValue().protocol());
        }
        for (Consumer<MembershipEvent> l : listeners) {
            next.addListener(l);
        }
        for (ActorRef<MembershipEvent> s : subscribers) {
            next.subscribe(s);
        }
    }

    /** The cluster evicted {@code evicted}: join again on a thread of its own. Must not block. */
    private void rejoin(Transport evicted) {
        Thread t = new Thread(() -> rejoinNow(evicted), "troupe-rejoin-" + settings.nodeName());
        t.setDaemon(true);
        t.start();
    }

    private synchronized void rejoinNow(Transport evicted) {
        if (transport != evicted || left || system.whenTerminated().isCompleted()) {
            return;
        }
        rejoining = true;
        try {
            evicted.closeForRejoin();
            transport = startTransport(evicted);
            LOG.info(
                    "Node {} rejoined cluster '{}' as incarnation {}",
                    settings.nodeName(),
                    settings.clusterName(),
                    Long.toHexString(transport.incarnationId()));
        } catch (Throwable e) {
            LOG.error(
                    "Node {} could not join cluster '{}' again after its eviction; terminating its"
                            + " actor system",
                    settings.nodeName(),
                    settings.clusterName(),
                    e);
            system.terminate();
        } finally {
            rejoining = false;
        }
    }

    /**
     * This system's node, started on first use.
     *
     * @throws RemoteException if the node has closed (its actor system terminated, or {@link
     *     #leave} was called): a node does not restart within one actor system
     */
    public static RemoteNode get(ActorSystem<?> system) {
        RemoteNode node = ID.apply(system);
        if (node.transport.isClosed() && !node.rejoining) {
            throw new RemoteException(
                    "RemoteNode.get: "
                            + node.transport.unavailable()
                            + " (its actor system "
                            + (system.whenTerminated().isCompleted()
                                    ? "terminated"
                                    : "is still running, but the node left")
                            + "); a node does not start again within one actor system: create a new"
                            + " ActorSystem to join the cluster again");
        }
        return node;
    }

    /**
     * The event-loop dispatcher: an actor spawned with it runs on this node's transport thread,
     * right where its messages from other processes are decoded, with no hand-off to a dispatcher
     * thread and no wake-up per message: {@code context.spawn(behavior, "name",
     * RemoteNode.eventLoopDispatcher())}. For actors that mostly receive remote messages and never
     * block or compute at length; while one runs, its node reads and sends nothing (a mailbox run
     * longer than {@code troupe.remote.event-loop-dispatcher.overrun-warning} is logged and counted
     * as {@code event-loop-overruns}). Used before {@link #get} or after the node closed, its
     * actors run on a fallback thread.
     */
    public static DispatcherSelector eventLoopDispatcher() {
        return DispatcherSelector.fromConfig(Transport.EVENT_LOOP_DISPATCHER);
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
     * Makes a local actor reachable by other nodes as {@code (name(), actorName)}, for messages of
     * {@code protocol}: the protocol is registered (and checked) here, and a message of another
     * type sent to the actor from another node never reaches it (it goes to dead letters with the
     * reason, counted as {@code rejected-messages}). {@code Object.class} accepts any registered
     * message (for an actor whose behavior takes {@code Object}).
     *
     * @throws RemoteException if another actor is published under that name, or the node is closed
     */
    public <T> void publish(String actorName, ActorRef<T> actor, Class<T> protocol) {
        if (actorName == null || actorName.isBlank()) {
            throw new RemoteException(
                    "Cannot publish under the name '" + actorName + "': give a non-blank name");
        }
        if (protocol == null) {
            throw new RemoteException(
                    "Cannot publish '"
                            + actorName
                            + "' without its protocol: pass the message type the actor takes,"
                            + " e.g. publish(\""
                            + actorName
                            + "\", ref, Counter.Command.class)");
        }
        publishAndRemember(actorName, actor, protocol);
    }

    private synchronized void publishAndRemember(
            String actorName, ActorRef<?> actor, Class<?> protocol) {
        transport.publish(actorName, actor, protocol);
        published.put(actorName, new Published(actor, protocol));
    }

    /**
     * Makes a local actor reachable as {@code (name(), actorName)} without naming its protocol:
     * nothing checks the protocol's registration here, and the receiving side cannot refuse
     * messages of the wrong type before they reach the actor.
     *
     * @deprecated name the protocol: {@link #publish(String, ActorRef, Class)}
     */
    @Deprecated
    public <T> void publish(String actorName, ActorRef<T> actor) {
        if (actorName == null || actorName.isBlank()) {
            throw new RemoteException(
                    "Cannot publish under the name '" + actorName + "': give a non-blank name");
        }
        publishAndRemember(actorName, actor, null);
    }

    /** Removes a published name; the actor stays reachable through refs already handed out. */
    public synchronized boolean unpublish(String actorName) {
        published.remove(actorName);
        return transport.unpublish(actorName);
    }

    /**
     * Looks up an actor published on {@code node}, waiting up to {@code
     * troupe.remote.lookup-timeout}.
     */
    public <T> CompletionStage<ActorRef<T>> lookup(
            String node, String actorName, Class<T> protocol) {
        return lookup(node, actorName, protocol, transport.settings().lookupTimeout());
    }

    /**
     * Looks up an actor published on {@code node} (which may be this node). The protocol is
     * registered (and checked) here if it was not yet, and the ref refuses, at the sender, messages
     * that are not of it. The stage fails with a {@link RemoteException}: at once when the node is
     * known to be down (saying which nodes are up), when this node is closed or lost its media
     * driver; and after {@code timeout}, saying whether the node or the name was missing, when
     * nothing answers. A node that was never seen may still be starting, so its lookup waits.
     */
    @SuppressWarnings("unchecked")
    public <T> CompletionStage<ActorRef<T>> lookup(
            String node, String actorName, Class<T> protocol, Duration timeout) {
        register(protocol);
        return transport
                .lookup(node, actorName, protocol, timeout)
                .thenApply(ref -> (ActorRef<T>) (ActorRef<?>) ref);
    }

    /** Lets other nodes spawn actors of this kind here; registers (and checks) its protocol. */
    public synchronized void registerKind(ActorKind<?> kind) {
        transport.registerKind(kind);
        kinds.add(kind);
    }

    /** Spawns an actor of {@code kind} on {@code node} under a generated name. */
    public <T> CompletionStage<ActorRef<T>> spawn(String node, ActorKind<T> kind) {
        return spawn(node, kind, null);
    }

    /**
     * Spawns an actor of {@code kind} on {@code node} (which may be this node) as a child of that
     * node's spawner, so Akka's supervision applies there; the caller may watch the returned ref.
     * The stage fails with a {@link RemoteException} when the node is not up, the kind is not
     * registered there, the name is taken, or nothing answers within {@code
     * troupe.remote.spawn-timeout}.
     */
    public <T> CompletionStage<ActorRef<T>> spawn(
            String node, ActorKind<T> kind, String actorName) {
        return spawn(node, kind, actorName, transport.settings().spawnTimeout());
    }

    /** {@link #spawn(String, ActorKind, String)} with a timeout of its own. */
    public <T> CompletionStage<ActorRef<T>> spawn(
            String node, ActorKind<T> kind, String actorName, Duration timeout) {
        return spawn(node, kind, actorName, false, timeout);
    }

    @SuppressWarnings("unchecked")
    <T> CompletionStage<ActorRef<T>> spawn(
            String node, ActorKind<T> kind, String actorName, boolean countLoad, Duration timeout) {
        register(kind.protocol());
        return transport
                .spawn(node, kind, actorName, countLoad, timeout)
                .thenApply(ref -> (ActorRef<T>) (ActorRef<?>) ref);
    }

    /** The actor system this node belongs to. */
    public ActorSystem<?> system() {
        return system;
    }

    /** Internal hook for {@link ProcessPool}: membership events on the transport thread. */
    synchronized void addListener(Consumer<MembershipEvent> listener) {
        transport.addListener(listener);
        listeners.add(listener);
    }

    RemoteSettings settings() {
        return settings;
    }

    /** The other nodes that are up now. */
    public List<Member> members() {
        return transport.members();
    }

    /**
     * Delivers a {@link MembershipEvent.NodeUp} for each node up now, then every change, until
     * {@link #unsubscribe}; both go through one queue, so an unsubscribe never overtakes its
     * subscribe.
     *
     * @throws RemoteException if the node is closed
     */
    public synchronized void subscribe(ActorRef<MembershipEvent> subscriber) {
        transport.subscribe(subscriber);
        subscribers.add(subscriber);
    }

    public synchronized void unsubscribe(ActorRef<MembershipEvent> subscriber) {
        subscribers.remove(subscriber);
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
    public synchronized void leave() {
        left = true;
        transport.close();
    }

    static final class Id extends ExtensionId<RemoteNode> {
        @Override
        public RemoteNode createExtension(ActorSystem<?> system) {
            return new RemoteNode(system);
        }
    }
}
