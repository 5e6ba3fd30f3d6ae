package io.troupe.remote.internal;

import akka.actor.ActorRef;
import akka.actor.ActorRefProvider;
import akka.actor.ExtendedActorSystem;
import akka.actor.InternalActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import io.aeron.Aeron;
import io.aeron.ConcurrentPublication;
import io.aeron.Subscription;
import io.aeron.exceptions.DriverTimeoutException;
import io.troupe.core.Troupe;
import io.troupe.core.codec.MessageCodec;
import io.troupe.remote.Member;
import io.troupe.remote.MembershipEvent;
import io.troupe.remote.RemoteException;
import io.troupe.remote.RemoteSettings;
import io.troupe.remote.driver.DriverHandle;
import io.troupe.remote.driver.MediaDrivers;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's transport: its Aeron client, streams, exported actors, links to the other nodes, and
 * the {@link TransportAgent} thread that polls them. {@code RemoteNode} is its public face.
 *
 * <p>Start-up: take the node name (a file lock), attach to or launch the media driver, subscribe to
 * this node's inbound stream and the membership stream, announce the node, then wait briefly so the
 * other nodes' answers arrive and lookups right after start find them.
 *
 * <p>Thread safety: thread-safe. {@link #send}, {@link #watch}, {@link #unwatch}, {@link #lookup}
 * and {@link #publish} may be called from any thread; {@link #close} is idempotent.
 */
public final class Transport implements AutoCloseable {
    /** The version byte of every frame this build sends and accepts (see {@link Wire}). */
    public static final int WIRE_VERSION = Wire.VERSION;

    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

    final ExtendedActorSystem classic;
    final RemoteSettings settings;
    final MessageCodec codec;
    final long incarnation;
    final String name;
    final int streamId;
    final long startedAtMillis = System.currentTimeMillis();

    final ConcurrentHashMap<Long, NodeLink> linksByIncarnation = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, NodeLink> upByName = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, ActorRef> published = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    final CopyOnWriteArrayList<akka.actor.typed.ActorRef<MembershipEvent>> subscribers =
            new CopyOnWriteArrayList<>();

    final Exports exports;
    final NodeCounters counters;
    final DeadLetters deadLetters;
    final Outbound outbound;
    final Lookups lookups;
    final RemoteWatches watches = new RemoteWatches();
    final Spawns spawns;
    private final akka.actor.typed.ActorRef<Spawns.Request> spawner;
    private final java.util.List<java.util.function.Consumer<MembershipEvent>> listeners =
            new CopyOnWriteArrayList<>();

    private final NodeNameLock nameLock;
    private final DriverHandle driver;
    private final Aeron aeron;
    final Subscription inbound;
    final Subscription membership;
    final ConcurrentPublication membershipPublication;
    private final AgentRunner runner;
    private final akka.actor.typed.ActorRef<Object> exportWatcher;
    volatile boolean driverLost;
    private volatile boolean closed;

    public Transport(ActorSystem<?> system, RemoteSettings settings) {
        this.classic = (ExtendedActorSystem) Adapter.toClassic(system);
        this.settings = settings;
        this.codec = Troupe.get(system).codec();
        this.codec.register(Control.class);
        if (settings.maxMessageBytes() > codec.limits().maxMessageBytes()) {
            throw new RemoteException(
                    "troupe.remote.max-message-bytes = "
                            + settings.maxMessageBytes()
                            + " is more than the codec"
                            + " accepts (troupe.core.codec.max-message-bytes = "
                            + codec.limits().maxMessageBytes()
                            + "): raise both together");
        }
        this.name = settings.nodeName();
        this.incarnation = newIncarnation();
        this.streamId = Wire.inboundStreamId(name, incarnation);

        StartUp start = new StartUp();
        try {
            DriverHandle d = start.acquire(() -> MediaDrivers.start(settings), DriverHandle::close);
            this.driver = d;
            start.done(StartUp.Step.DRIVER);
            this.nameLock =
                    start.acquire(
                            () ->
                                    NodeNameLock.acquire(
                                            d.aeronDirectory(), settings.clusterName(), name),
                            NodeNameLock::close);
            start.done(StartUp.Step.NODE_NAME);
            Aeron a =
                    start.acquire(
                            () ->
                                    Aeron.connect(
                                            new Aeron.Context()
                                                    .aeronDirectoryName(
                                                            d.aeronDirectory().toString())
                                                    .driverTimeoutMs(
                                                            settings.driver()
                                                                    .driverTimeout()
                                                                    .toMillis())
                                                    .errorHandler(this::onAeronError)
                                                    .clientName("troupe " + name)),
                            Aeron::close);
            this.aeron = a;
            start.done(StartUp.Step.AERON_CLIENT);
            this.counters = start.acquire(() -> new NodeCounters(a, name), NodeCounters::close);
            start.done(StartUp.Step.COUNTERS);
            this.deadLetters = new DeadLetters(classic, counters);
            this.outbound =
                    new Outbound(
                            codec,
                            incarnation,
                            counters,
                            deadLetters,
                            settings.backPressureTimeout(),
                            settings.outboundQueueBytes());
            this.lookups = new Lookups(classic.dispatcher());
            this.exportWatcher =
                    start.acquire(
                            () ->
                                    system.systemActorOf(
                                            exportWatcherBehavior(),
                                            "troupe-remote-exports-"
                                                    + Long.toHexString(incarnation),
                                            Props.empty()),
                            ref -> classic.stop(Adapter.toClassic(ref)));
            this.exports = new Exports(ref -> exportWatcher.tell(ref));
            this.spawns = new Spawns(classic.dispatcher());
            this.spawner =
                    start.acquire(
                            () ->
                                    system.systemActorOf(
                                            Spawns.spawner(),
                                            "troupe-remote-spawner-"
                                                    + Long.toHexString(incarnation),
                                            Props.empty()),
                            ref -> classic.stop(Adapter.toClassic(ref)));
            codec.actorRefCodec(new RemoteRefCodec(this));
            start.done(StartUp.Step.ACTORS);

            this.inbound =
                    start.acquire(
                            () -> a.addSubscription("aeron:ipc", streamId), Subscription::close);
            this.membership =
                    start.acquire(
                            () -> a.addSubscription("aeron:ipc", Wire.MEMBERSHIP_STREAM_ID),
                            Subscription::close);
            d.requireSpaceForStream(settings.termLength(), "the membership stream");
            this.membershipPublication =
                    start.acquire(
                            () -> a.addPublication(ipcChannel(), Wire.MEMBERSHIP_STREAM_ID),
                            ConcurrentPublication::close);
            // Runs before the publication closes: peers that saw the join forget us at once.
            start.onFailure(() -> TransportAgent.publishLeave(this));
            start.done(StartUp.Step.STREAMS);
            TransportAgent agent = new TransportAgent(this);
            this.runner =
                    start.acquire(
                            () -> {
                                AgentRunner r =
                                        new AgentRunner(
                                                settings.idleStrategy().newIdleStrategy(),
                                                this::onAgentError,
                                                null,
                                                agent);
                                AgentRunner.startOnThread(r);
                                return r;
                            },
                            AgentRunner::close);
            start.done(StartUp.Step.AGENT);
            agent.awaitDiscovery(
                    Duration.ofMillis(Math.min(300, settings.heartbeatInterval().toMillis())));
            start.done(StartUp.Step.DISCOVERY);
            start.completed();
        } catch (Throwable e) { // Errors too: Agrona's IllegalAccessError, a mapped write's fault
            closed = true; // the Aeron error handler must not report the unwinding as errors
            start.unwind(e);
            RemoteException clear = startFailure(e);
            if (clear != null) {
                throw clear;
            }
            throw e;
        }
        LOG.info(
                "Troupe node {} (incarnation {}) joined cluster '{}' in {} ({} the media driver)",
                name,
                Long.toHexString(incarnation),
                settings.clusterName(),
                driver.aeronDirectory(),
                driver.hostsDriver() ? "hosting" : "attached to");
    }

    /**
     * Troupe's own error for a raw Aeron or Agrona failure at start (a missing {@code
     * --add-exports}, a full file system), naming the node and the fix; null when {@code e} says
     * what to do already.
     */
    private RemoteException startFailure(Throwable e) {
        return MediaDrivers.explain(e, settings)
                .map(
                        clear ->
                                new RemoteException(
                                        "Node '"
                                                + name
                                                + "' of cluster '"
                                                + settings.clusterName()
                                                + "' could not start: "
                                                + clear.getMessage(),
                                        clear))
                .orElse(null);
    }

    public String settingsNodeName() {
        return name;
    }

    public RemoteSettings settings() {
        return settings;
    }

    public long incarnationId() {
        return incarnation;
    }

    public Duration lookupTimeout() {
        return settings.lookupTimeout();
    }

    String ipcChannel() {
        return "aeron:ipc?term-length=" + settings.termLength();
    }

    Aeron aeron() {
        return aeron;
    }

    public DriverHandle driver() {
        return driver;
    }

    ActorRefProvider provider() {
        return classic.provider();
    }

    // ---- sending ----

    void send(RemoteActorRef target, Object message, ActorRef sender) {
        NodeLink link = target.link();
        if (link == null) {
            link = linksByIncarnation.get(target.incarnation());
            if (link != null) {
                target.link(link);
            }
        }
        if (link == null) {
            deadLetters.drop(
                    message,
                    "node incarnation "
                            + Long.toHexString(target.incarnation())
                            + " is not known here (it is gone, or has not joined yet)",
                    sender,
                    target);
            return;
        }
        outbound.send(link, Wire.DATA, target.exportId(), message, sender, target);
    }

    void sendControl(NodeLink link, Control message) {
        outbound.send(link, Wire.CONTROL, 0, message, null, null);
    }

    // ---- refs ----

    RemoteActorRef remoteRef(long nodeIncarnation, int exportId) {
        NodeLink link = linksByIncarnation.get(nodeIncarnation);
        return new RemoteActorRef(
                this,
                link != null ? link.address : RemoteActorRef.address("unknown", nodeIncarnation, 0),
                nodeIncarnation,
                exportId);
    }

    // ---- watch (called by DeathWatch on the watcher's thread; handled on the transport thread)
    // ----

    void watch(RemoteActorRef ref, InternalActorRef watcher) {
        commands.offer(
                () -> {
                    NodeLink link = linksByIncarnation.get(ref.incarnation());
                    if (link == null || !link.isUp()) {
                        watcher.sendSystemMessage(
                                new akka.dispatch.sysmsg.DeathWatchNotification(ref, false, true));
                    } else if (watches.addWatcher(ref, watcher)) {
                        sendControl(link, new Control.Watch(ref.exportId()));
                    }
                });
    }

    void unwatch(RemoteActorRef ref, ActorRef watcher) {
        commands.offer(
                () -> {
                    NodeLink link = linksByIncarnation.get(ref.incarnation());
                    if (watches.removeWatcher(ref, watcher) && link != null && link.isUp()) {
                        sendControl(link, new Control.Unwatch(ref.exportId()));
                    }
                });
    }

    private akka.actor.typed.Behavior<Object> exportWatcherBehavior() {
        return Behaviors.setup(
                ctx ->
                        Behaviors.receive(Object.class)
                                .onMessage(
                                        ActorRef.class,
                                        ref -> {
                                            ctx.watch(Adapter.toTyped(ref));
                                            return Behaviors.same();
                                        })
                                .onSignal(
                                        akka.actor.typed.Terminated.class,
                                        t -> {
                                            int id = exports.remove(Adapter.toClassic(t.getRef()));
                                            if (id != 0) {
                                                commands.offer(() -> exportTerminated(id));
                                            }
                                            return Behaviors.same();
                                        })
                                .build());
    }

    private void exportTerminated(int exportId) {
        for (long watcherNode : watches.exportTerminated(exportId)) {
            NodeLink link = linksByIncarnation.get(watcherNode);
            if (link != null && link.isUp()) {
                sendControl(link, new Control.WatcheeTerminated(exportId, true));
            }
        }
    }

    // ---- naming ----

    public void publish(String actorName, akka.actor.typed.ActorRef<?> ref) {
        ActorRef classicRef = Adapter.toClassic(ref);
        if (classicRef instanceof RemoteActorRef) {
            throw new RemoteException(
                    "Cannot publish '"
                            + actorName
                            + "': "
                            + ref
                            + " lives on another node; publish actors on the"
                            + " node where they live");
        }
        ActorRef previous = published.putIfAbsent(actorName, classicRef);
        if (previous != null && !previous.equals(classicRef)) {
            throw new RemoteException(
                    "The name '"
                            + actorName
                            + "' is already published on node "
                            + name
                            + " by "
                            + previous
                            + ": unpublish it first, or choose another name");
        }
        exports.export(classicRef);
    }

    public boolean unpublish(String actorName) {
        return published.remove(actorName) != null;
    }

    public CompletableFuture<akka.actor.typed.ActorRef<Object>> lookup(
            String node, String actorName, Duration timeout) {
        if (node.equals(name)) {
            ActorRef local = published.get(actorName);
            if (local != null) {
                return CompletableFuture.completedFuture(Adapter.toTyped(local));
            }
        }
        return lookups.start(node, actorName, timeout)
                .thenApply(h -> Adapter.toTyped(remoteRef(h.incarnation(), h.exportId())));
    }

    // ---- remote spawn ----

    public void registerKind(io.troupe.remote.ActorKind<?> kind) {
        codec.register(kind.protocol());
        spawns.register(kind);
    }

    public CompletableFuture<akka.actor.typed.ActorRef<Object>> spawn(
            String node, String kind, String actorName, boolean countLoad, Duration timeout) {
        CompletableFuture<ActorRef> future = new CompletableFuture<>();
        if (node.equals(name)) {
            onSpawnRequest(
                    kind,
                    actorName,
                    countLoad,
                    result -> {
                        if (result instanceof ActorRef ref) {
                            future.complete(ref);
                        } else {
                            future.completeExceptionally(
                                    new RemoteException(
                                            "Spawning an actor of kind '"
                                                    + kind
                                                    + "' on node '"
                                                    + node
                                                    + "' failed: "
                                                    + result));
                        }
                    });
        } else {
            long id = spawns.start(node, kind, timeout, future);
            commands.offer(
                    () -> {
                        NodeLink link = upByName.get(node);
                        if (link == null) {
                            spawns.fail(
                                    id,
                                    "Cannot spawn an actor of kind '"
                                            + kind
                                            + "' on node '"
                                            + node
                                            + "': no such node is up ("
                                            + (upByName.isEmpty()
                                                    ? "no other node is up"
                                                    : "up: "
                                                            + String.join(
                                                                    ", ",
                                                                    new java.util.TreeSet<>(
                                                                            upByName.keySet())))
                                            + ")");
                        } else {
                            sendControl(
                                    link,
                                    new Control.Spawn(
                                            id,
                                            kind,
                                            actorName == null ? "" : actorName,
                                            countLoad));
                        }
                    });
        }
        return future.thenApply(Adapter::toTyped);
    }

    /** Spawns a registered kind here; {@code reply} gets the classic ref or an error text. */
    void onSpawnRequest(
            String kindName,
            String actorName,
            boolean countLoad,
            java.util.function.Consumer<Object> reply) {
        io.troupe.remote.ActorKind<?> kind = spawns.kind(kindName);
        if (kind == null) {
            reply.accept(
                    "no actor kind '"
                            + kindName
                            + "' is registered on node "
                            + name
                            + " (registered: "
                            + spawns.knownKinds()
                            + "); register it there with RemoteNode.registerKind, e.g. in the pool's WorkerSetup");
            return;
        }
        spawner.tell(new Spawns.Request(kind, actorName, countLoad, reply));
    }

    // ---- membership ----

    /** Internal listener for pools: called on the transport thread; must not block. */
    public void addListener(java.util.function.Consumer<MembershipEvent> listener) {
        listeners.add(listener);
    }

    void notifyListeners(MembershipEvent event) {
        for (java.util.function.Consumer<MembershipEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("A membership listener failed: {}", e.toString());
            }
        }
        subscribers.forEach(s -> s.tell(event));
    }

    public List<Member> members() {
        return upByName.values().stream().filter(NodeLink::isUp).map(Transport::member).toList();
    }

    static Member member(NodeLink l) {
        return new Member(
                l.name, l.incarnation, l.pid, Instant.ofEpochMilli(l.startedAtEpochMillis));
    }

    public void subscribe(akka.actor.typed.ActorRef<MembershipEvent> subscriber) {
        commands.offer(
                () -> {
                    subscribers.add(subscriber);
                    for (NodeLink l : upByName.values()) {
                        subscriber.tell(new MembershipEvent.NodeUp(member(l)));
                    }
                });
    }

    public void unsubscribe(akka.actor.typed.ActorRef<MembershipEvent> subscriber) {
        subscribers.remove(subscriber);
    }

    public long counter(String label) {
        for (NodeCounters.Kind k : NodeCounters.Kind.values()) {
            if (k.label.equals(label)) {
                return counters.get(k);
            }
        }
        throw new IllegalArgumentException("no counter '" + label + "'");
    }

    public int exportedCount() {
        return exports.size();
    }

    // ---- errors and shutdown ----

    private void onAeronError(Throwable t) {
        if (t instanceof DriverTimeoutException
                || t instanceof io.aeron.exceptions.ConductorServiceTimeoutException
                || t instanceof org.agrona.concurrent.AgentTerminationException
                || aeron != null && aeron.isClosed()) {
            if (driverLost) {
                return;
            }
            driverLost = true;
            if (t instanceof DriverTimeoutException) {
                LOG.error(
                        "Troupe node {} lost its media driver in {} (pid {}): it can no longer reach other nodes. The process"
                                + " that hosted the driver has probably exited; run a standalone driver (io.troupe.remote.driver.StandaloneDriver)"
                                + " so that no node process is special.",
                        name,
                        driver.aeronDirectory(),
                        driver.driverPid());
            } else {
                LOG.error(
                        "Troupe node {} lost its Aeron client ({}): it can no longer reach other nodes. This happens when the"
                                + " process gets no CPU for longer than troupe.remote.driver.client-liveness-timeout ({} ms), e.g. on an"
                                + " overloaded machine or in a long GC pause; raise that timeout if such stalls are expected, and restart"
                                + " the process to rejoin.",
                        name,
                        t.toString(),
                        settings.driver().clientLivenessTimeout().toMillis());
            }
        } else if (!closed) {
            LOG.warn("Aeron client error on node {}: {}", name, t.toString());
        }
    }

    private void onAgentError(Throwable t) {
        if (!closed) {
            LOG.error(
                    "Troupe transport of node {} failed while polling; it keeps running", name, t);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        CloseHelper.quietClose(runner);
        if (!driverLost) {
            try {
                TransportAgent.publishLeave(this);
            } catch (RuntimeException e) {
                LOG.debug("Could not announce the leave of node {}: {}", name, e.toString());
            }
        }
        lookups.failAll("Node " + name + " is shutting down");
        spawns.failAll("Node " + name + " is shutting down");
        CloseHelper.quietCloseAll(counters, inbound, membership, membershipPublication);
        for (NodeLink l : linksByIncarnation.values()) {
            CloseHelper.quietClose(l.publication);
        }
        CloseHelper.quietCloseAll(aeron, nameLock, driver);
        LOG.info("Troupe node {} left cluster '{}'", name, settings.clusterName());
    }

    public boolean isClosed() {
        return closed;
    }

    private static long newIncarnation() {
        long v;
        SecureRandom random = new SecureRandom();
        do {
            v = random.nextLong() & Long.MAX_VALUE;
        } while (v == 0);
        return v;
    }
}
