package io.troupe.remote.internal;

import akka.actor.ActorRef;
import akka.actor.ActorRefProvider;
import akka.actor.ExtendedActorSystem;
import akka.actor.InternalActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.exceptions.ConductorServiceTimeoutException;
import io.aeron.exceptions.DriverTimeoutException;
import io.troupe.core.Troupe;
import io.troupe.core.codec.MessageCodec;
import io.troupe.remote.ActorKind;
import io.troupe.remote.Member;
import io.troupe.remote.MembershipEvent;
import io.troupe.remote.RemoteException;
import io.troupe.remote.RemoteSettings;
import io.troupe.remote.driver.DriverHandle;
import io.troupe.remote.driver.MediaDrivers;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's transport: it wires the parts together and owns their lifecycle. {@code RemoteNode} is
 * its public face.
 *
 * <p>The parts, each the only owner of its state: {@link Links} (the links to other nodes and their
 * state transitions), {@link Membership} (heartbeats, joins, leaves, failure detection, events),
 * {@link Outbound} and {@link Inbound} (the send and receive paths), {@link InboundGate} (receiving
 * back-pressure), {@link Names}, {@link Lookups}, {@link Spawns}, {@link DeathWatch}, {@link
 * Exports}; {@link TransportAgent} is the duty cycle of the one transport thread that runs them.
 *
 * <p>States: running; driver lost (every peer down, lookups and spawns fail at once, watches yield
 * {@code Terminated} at once, sends go to dead letters); closed (the same, and the Aeron resources
 * released). Every public operation completes or fails promptly in each state.
 *
 * <p>Start-up: take the node name (a file lock), attach to or launch the media driver, subscribe to
 * this node's inbound stream and the membership stream, announce the node, then wait briefly so the
 * other nodes' answers arrive and lookups right after start find them.
 *
 * <p>Thread safety: thread-safe. Every public method may be called from any thread; {@link #close}
 * is idempotent.
 */
public final class Transport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

    /** The config path of the event-loop dispatcher. */
    public static final String EVENT_LOOP_DISPATCHER =
            RemoteSettings.PREFIX + ".event-loop-dispatcher";

    final ExtendedActorSystem classic;
    private final RemoteSettings settings;
    private final MessageCodec codec;
    private final Self self;
    private final NodeCounters counters;
    private final DeadLetters deadLetters;
    private final Refusals refusals;
    private final Completions completions;
    private final Exports exports;
    private final Links links;
    private final Outbound outbound;
    private final Names names;
    private final Lookups lookups;
    private final Spawns spawns;
    private final Commands commands = new Commands();
    private final DeathWatch deathWatch;
    private final Inbound inbound;
    private final Membership membership;

    private final NodeNameLock nameLock;
    private final DriverHandle driver;
    private final Aeron aeron;
    private final Subscription inboundSubscription;
    private final Subscription membershipSubscription;
    private final ExclusivePublication membershipPublication;
    private final AgentRunner runner;

    /** Null: terminate the actor system when evicted; else how the node rejoins. */
    private final Consumer<Transport> rejoin;

    /** {@link #closeForRejoin}: the driver and the name lock went to the next incarnation. */
    private boolean handedOver;

    /** The counters' values when {@link #closeForRejoin} closed them, by kind. */
    private long[] finalCounts;

    /** Null while running; why the node reaches nobody once its driver is lost or it closed. */
    private volatile String unavailable;

    private volatile boolean driverLost;
    private volatile boolean closed;

    private final boolean clusterMode;

    /** Nodes on other machines (cluster mode), else null. */
    private final ClusterMembers acrossMembers;

    /** The actor that follows Akka Cluster's member events (cluster mode), else null. */
    private akka.actor.typed.ActorRef<Object> acrossMembersActor;

    /** Why this node left the Akka Cluster on its own (its name was taken), or null. */
    private volatile String nameTaken;

    public Transport(ActorSystem<?> system, RemoteSettings settings) {
        this(system, settings, null, t -> {}, null);
    }

    /**
     * A transport that is either the node's first incarnation ({@code evicted} null) or the next
     * one after {@code evicted} was evicted and {@linkplain #closeForRejoin closed for a rejoin}:
     * then it takes over that one's media driver, node-name lock and counter values.
     *
     * @param setUp runs once the parts exist and before the node announces itself (the rejoin
     *     publishes the node's names and registers its kinds there, so no peer finds them missing)
     * @param rejoin called on the transport thread when the cluster evicted this node and {@code
     *     troupe.remote.on-evicted = "rejoin"}; must not block. Null: terminate the actor system.
     */
    public Transport(
            ActorSystem<?> system,
            RemoteSettings settings,
            Transport evicted,
            Consumer<Transport> setUp,
            Consumer<Transport> rejoin) {
        this.rejoin = rejoin;
        this.classic = (ExtendedActorSystem) Adapter.toClassic(system);
        this.clusterMode =
                "cluster".equals(classic.settings().config().getString("akka.actor.provider"));
        this.settings = settings;
        this.codec = Troupe.get(system).codec();
        this.codec.register(Control.class);
        this.codec.register(ClusterService.Protocol.class);
        this.codec.register(ClusterService.Answer.class);
        if (settings.maxMessageBytes() > codec.limits().maxMessageBytes()) {
            throw new RemoteException(
                    "troupe.remote.max-message-bytes = "
                            + settings.maxMessageBytes()
                            + " is more than the codec accepts (troupe.core.codec.max-message-bytes = "
                            + codec.limits().maxMessageBytes()
                            + "): raise both together");
        }
        this.maxAcrossBytes =
                clusterMode
                        ? (int)
                                        classic.settings()
                                                .config()
                                                .getBytes(
                                                        "akka.remote.artery.advanced.maximum-frame-size")
                                                .longValue()
                                - ACROSS_FRAME_OVERHEAD
                        : 0;
        long incarnation = newIncarnation();
        this.self =
                new Self(
                        settings.clusterName(),
                        settings.nodeName(),
                        incarnation,
                        Wire.inboundStreamId(settings.nodeName(), incarnation),
                        ProcessHandle.current().pid(),
                        System.currentTimeMillis(),
                        clusterMode ? classic.provider().getDefaultAddress().toString() : "");

        StartUp start = new StartUp();
        try {
            DriverHandle d =
                    start.acquire(
                            () -> evicted != null ? evicted.driver : MediaDrivers.start(settings),
                            DriverHandle::close);
            this.driver = d;
            start.done(StartUp.Step.DRIVER);
            this.nameLock =
                    start.acquire(
                            () ->
                                    evicted != null
                                            ? evicted.nameLock
                                            : NodeNameLock.acquire(
                                                    d.aeronDirectory(),
                                                    settings.clusterName(),
                                                    self.name()),
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
                                                    .clientName("troupe " + self.name())),
                            Aeron::close);
            this.aeron = a;
            start.done(StartUp.Step.AERON_CLIENT);
            this.counters =
                    start.acquire(() -> new NodeCounters(a, self.name()), NodeCounters::close);
            if (evicted != null) {
                for (NodeCounters.Kind k : NodeCounters.Kind.values()) {
                    counters.add(k, evicted.finalCounts[k.ordinal()]);
                }
            }
            start.done(StartUp.Step.COUNTERS);
            this.deadLetters = new DeadLetters(classic, counters);
            this.refusals = new Refusals(self.name(), settings.unsendable(), counters, deadLetters);
            this.completions = new Completions(classic.dispatcher());
            this.links = new Links(this::onLinkDown);
            this.outbound =
                    new Outbound(
                            codec,
                            self,
                            counters,
                            deadLetters,
                            refusals,
                            settings.backPressureTimeout(),
                            settings.outboundQueueBytes());
            this.exports = new Exports();
            this.deathWatch = new DeathWatch(classic, links, exports, commands, this::sendControl);
            this.names = new Names(self.name(), exports);
            this.lookups = new Lookups(completions, new LookupResolver());
            this.spawns = new Spawns(self.name(), completions);
            String suffix = Long.toHexString(incarnation);
            start.onFailure(stopping(deathWatch.start(system, "troupe-remote-exports-" + suffix)));
            start.onFailure(stopping(spawns.start(system, "troupe-remote-spawner-" + suffix)));
            codec.actorRefCodec(new RemoteRefCodec(this));
            start.done(StartUp.Step.ACTORS);

            Rejections rejections = new Rejections(self.name(), counters);
            this.acrossRejections = new Rejections(self.name(), counters);
            this.inboundSubscription =
                    start.acquire(
                            () -> a.addSubscription("aeron:ipc", self.streamId()),
                            Subscription::close);
            this.membershipSubscription =
                    start.acquire(
                            () -> a.addSubscription("aeron:ipc", Wire.MEMBERSHIP_STREAM_ID),
                            Subscription::close);
            d.requireSpaceForStream(settings.termLength(), "the membership stream");
            this.membershipPublication =
                    start.acquire(
                            // Exclusive: a log of this node's own, so that a peer killed in
                            // the middle of an announcement cannot block everyone's heartbeats.
                            () ->
                                    a.addExclusivePublication(
                                            ipcChannel(), Wire.MEMBERSHIP_STREAM_ID),
                            ExclusivePublication::close);
            this.inbound =
                    new Inbound(
                            self,
                            inboundSubscription,
                            codec,
                            links,
                            exports,
                            new InboundGate(
                                    self.name(),
                                    settings.inboundMailboxLimit(),
                                    counters,
                                    classic.settings().config()),
                            counters,
                            deadLetters,
                            settings.maxMessageBytes(),
                            new Controls(
                                    names,
                                    lookups,
                                    spawns,
                                    deathWatch,
                                    exports,
                                    this::remoteRef,
                                    this::sendControl,
                                    rejections),
                            rejections);
            this.membership =
                    new Membership(
                            self,
                            settings,
                            codec,
                            links,
                            a,
                            ipcChannel(),
                            d,
                            membershipSubscription,
                            membershipPublication,
                            rejections,
                            this::onEvicted);
            this.acrossMembers = clusterMode ? new ClusterMembers(self, new AcrossEvents()) : null;
            if (clusterMode) {
                membership.acrossMembers(acrossMembers::members);
                acrossMembersActor =
                        system.systemActorOf(
                                acrossMembers.behavior(
                                        address ->
                                                Adapter.toTyped(
                                                        resolvePath(
                                                                address
                                                                        + "/system/"
                                                                        + ClusterService.NAME))),
                                "troupe-cluster-members-" + Long.toHexString(incarnation),
                                akka.actor.typed.Props.empty());
                start.onFailure(stopping(acrossMembersActor));
            }
            setUp.accept(this);
            // Runs before the publication closes: peers that saw the join forget us at once.
            start.onFailure(membership::publishLeave);
            start.done(StartUp.Step.STREAMS);
            TransportAgent agent =
                    new TransportAgent(
                            self.name(),
                            membership,
                            inbound,
                            outbound,
                            links,
                            commands,
                            lookups,
                            spawns,
                            exports,
                            counters,
                            this::onDriverLost,
                            EventLoop.of(classic.eventStream(), classic.name()),
                            EventLoop.Bounds.fromConfig(
                                    classic.settings().config().getConfig(EVENT_LOOP_DISPATCHER),
                                    EVENT_LOOP_DISPATCHER));
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
                self.name(),
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
                                                + self.name()
                                                + "' of cluster '"
                                                + settings.clusterName()
                                                + "' could not start: "
                                                + clear.getMessage(),
                                        clear))
                .orElse(null);
    }

    /** Stops a system actor the start created, when a later step fails. */
    private Runnable stopping(akka.actor.typed.ActorRef<?> actor) {
        return () -> classic.stop(Adapter.toClassic(actor));
    }

    public String settingsNodeName() {
        return self.name();
    }

    public RemoteSettings settings() {
        return settings;
    }

    public long incarnationId() {
        return self.incarnation();
    }

    long incarnation() {
        return self.incarnation();
    }

    public DriverHandle driver() {
        return driver;
    }

    ActorRefProvider provider() {
        return classic.provider();
    }

    private String ipcChannel() {
        return "aeron:ipc?term-length=" + settings.termLength();
    }

    // ---- sending ----

    void send(RemoteActorRef target, Object message, ActorRef sender) {
        String gone = unavailable;
        if (gone != null) {
            deadLetters.drop(
                    message, NodeCounters.Kind.DEAD_LETTERS_NODE_CLOSED, gone, sender, target);
            return;
        }
        if (!inProtocol(target, target.protocol(), message, sender)) {
            return;
        }
        NodeLink link = target.link();
        if (link == null || !link.isUp()) {
            NodeLink known = links.get(target.incarnation());
            if (known != null) {
                target.link(known);
                link = known;
            }
        }
        if (link == null) {
            deadLetters.drop(
                    message,
                    NodeCounters.Kind.DEAD_LETTERS_UNKNOWN_NODE,
                    "node incarnation "
                            + Long.toHexString(target.incarnation())
                            + " is not known here (it is gone, or has not joined yet)",
                    sender,
                    target);
            return;
        }
        outbound.send(link, Wire.DATA, target.exportId(), message, sender, target);
    }

    /**
     * Whether {@code message} is of the protocol {@code target} was obtained for (or that is
     * unknown); if not, refuses it at the sender (dead letters, counted, or thrown by
     * troupe.remote.unsendable).
     */
    private boolean inProtocol(
            ActorRef target, Class<?> protocol, Object message, ActorRef sender) {
        if (protocol == null || protocol.isInstance(message) || message instanceof Control) {
            return true;
        }
        refusals.refuse(
                message,
                new RemoteException(
                        "a "
                                + message.getClass().getName()
                                + " is not in the protocol of "
                                + target.path()
                                + " ("
                                + protocol.getName()
                                + "), the type this ref was obtained for; send a "
                                + protocol.getSimpleName()
                                + ", or obtain the ref for the right protocol"),
                sender,
                target);
        return false;
    }

    /**
     * A tell to an actor on another machine: the protocol is checked and the message encoded here,
     * on the sender's thread (so that an unsendable message is refused at the sender, as over IPC),
     * then it goes over Artery to the home node's gateway, which checks it again before the actor
     * sees it ({@link ClusterGateway}).
     */
    void sendAcross(ClusterRef target, Object message, ActorRef sender) {
        if (!inProtocol(target, target.protocol(), message, sender)) {
            return;
        }
        if (closed || unavailable != null) {
            deadLetters.drop(
                    message,
                    NodeCounters.Kind.DEAD_LETTERS_NODE_CLOSED,
                    unavailable != null ? unavailable : "node '" + self.name() + "' closed",
                    sender,
                    target);
            return;
        }
        byte[] payload;
        try {
            payload = codec.encode(message);
        } catch (io.troupe.core.codec.CodecException e) {
            refusals.refuse(message, e, sender, target);
            return;
        }
        if (payload.length > maxAcrossBytes) {
            refusals.refuse(
                    message,
                    new RemoteException(
                            "a "
                                    + message.getClass().getName()
                                    + " encodes to "
                                    + payload.length
                                    + " bytes, over the "
                                    + maxAcrossBytes
                                    + " a message to another machine may have (Artery's"
                                    + " akka.remote.artery.advanced.maximum-frame-size, "
                                    + (maxAcrossBytes + ACROSS_FRAME_OVERHEAD)
                                    + ", less "
                                    + ACROSS_FRAME_OVERHEAD
                                    + " for paths and headers); send it in parts, or raise"
                                    + " maximum-frame-size on every machine"),
                    sender,
                    target);
            return;
        }
        counters.increment(NodeCounters.Kind.MESSAGES_SENT_ACROSS);
        target.gateway()
                .tell(
                        new ClusterDelivery(target.incarnation(), target.exportId(), payload),
                        sender == null ? ActorRef.noSender() : sender);
    }

    /** Room an Artery frame keeps for the recipient's and sender's paths and its headers. */
    static final int ACROSS_FRAME_OVERHEAD = 4096;

    /** The largest encoded message {@link #sendAcross} sends. */
    private final int maxAcrossBytes;

    /** Gateways of nodes on other machines, by their Artery address. */
    private final java.util.concurrent.ConcurrentHashMap<akka.actor.Address, ActorRef> gateways =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Rejections of messages that came across machines (the gateway's thread). */
    private final Rejections acrossRejections;

    /**
     * A message that came from another machine, on the gateway's thread: delivered to the actor
     * exported as {@code d.exportId} if it is this incarnation's, decodes, and is in the actor's
     * protocol; else dead-lettered with the reason, and counted.
     */
    void deliverAcross(ClusterDelivery d, ActorRef sender) {
        String from =
                sender == null || sender == ActorRef.noSender()
                        ? "another machine"
                        : sender.path().address().toString();
        if (d.incarnation != self.incarnation()) {
            counters.increment(NodeCounters.Kind.REJECTED_MESSAGES);
            deadLetters.drop(
                    d,
                    NodeCounters.Kind.DEAD_LETTERS_NO_SUCH_ACTOR,
                    "a message from "
                            + from
                            + " for actor #"
                            + d.exportId
                            + " of node incarnation "
                            + Long.toHexString(d.incarnation)
                            + ", but node '"
                            + self.name()
                            + "' is incarnation "
                            + Long.toHexString(self.incarnation())
                            + " now (it restarted or rejoined): the sender's ref is stale; look the"
                            + " actor up again",
                    null,
                    null);
            return;
        }
        inbound.decodeAndDeliver(
                d.payload,
                0,
                d.payload.length,
                d.exportId,
                from,
                acrossRejections,
                NodeCounters.Kind.MESSAGES_RECEIVED_ACROSS,
                sender == null ? ActorRef.noSender() : sender);
    }

    /** A {@link ClusterRef} for the actor with this Troupe identity on another machine. */
    ClusterRef clusterRef(long incarnation, int exportId, String homePath, Class<?> protocol) {
        akka.actor.InternalActorRef artery = (akka.actor.InternalActorRef) resolvePath(homePath);
        akka.actor.Address home = artery.path().address();
        ActorRef gateway =
                gateways.computeIfAbsent(
                        home, a -> resolvePath(a + "/system/" + ClusterGateway.NAME));
        return new ClusterRef(this, artery, gateway, incarnation, exportId, homePath, protocol);
    }

    private void sendControl(NodeLink link, Control message) {
        outbound.send(link, Wire.CONTROL, 0, message, null, null);
    }

    // ---- refs ----

    RemoteActorRef remoteRef(long nodeIncarnation, int exportId, Class<?> protocol) {
        return remoteRef(nodeIncarnation, exportId, protocol, null);
    }

    RemoteActorRef remoteRef(
            long nodeIncarnation, int exportId, Class<?> protocol, String homePath) {
        NodeLink link = links.get(nodeIncarnation);
        return new RemoteActorRef(
                this,
                link != null ? link.address : RemoteActorRef.address("unknown", nodeIncarnation, 0),
                nodeIncarnation,
                exportId,
                protocol,
                homePath);
    }

    /**
     * Whether this node is also an Akka Cluster member (troupe.cluster.enabled): refs then carry
     * their home path, so that they can cross machines.
     */
    boolean clusterMode() {
        return clusterMode;
    }

    /** Whether {@code incarnation} is a node of this machine that is up (an IPC link). */
    boolean isLinkUp(long incarnation) {
        NodeLink l = links.get(incarnation);
        return l != null && l.isUp();
    }

    /** The actor's path as another machine resolves it (cluster mode). */
    String homePath(ActorRef local) {
        return akka.actor.typed.ActorRefResolver.get(Adapter.toTyped(classic))
                .toSerializationFormat(Adapter.toTyped(local));
    }

    /** The Artery ref for a path another machine wrote (cluster mode). */
    ActorRef resolvePath(String path) {
        return classic.provider().resolveActorRef(path);
    }

    /** The local actor exported as {@code exportId}, or dead letters if there is none. */
    ActorRef localExport(int exportId) {
        Exports.Entry e = exports.get(exportId);
        return e != null ? e.ref : classic.deadLetters();
    }

    int export(ActorRef local, Class<?> protocol) {
        return exports.export(local, protocol);
    }

    // ---- watch (called by Akka's DeathWatch on the watcher's thread) ----

    void watch(RemoteActorRef ref, InternalActorRef watcher) {
        commands.submit(
                new Commands.Command() {
                    @Override
                    public void run() {
                        deathWatch.watch(ref, watcher);
                    }

                    @Override
                    public void refuse(String why) {
                        DeathWatch.terminatedNow(ref, watcher);
                    }
                });
    }

    void unwatch(RemoteActorRef ref, ActorRef watcher) {
        commands.submit(
                new Commands.Command() {
                    @Override
                    public void run() {
                        deathWatch.unwatch(ref, watcher);
                    }

                    @Override
                    public void refuse(String why) {}
                });
    }

    // ---- naming ----

    public void publish(String actorName, akka.actor.typed.ActorRef<?> ref, Class<?> protocol) {
        requireOpen("publish '" + actorName + "'");
        boolean any = protocol == null || protocol == Object.class;
        if (!any) {
            codec.register(protocol); // checks it here, not at the first message that uses it
        }
        names.publish(actorName, Adapter.toClassic(ref), any ? null : protocol);
    }

    public boolean unpublish(String actorName) {
        return names.unpublish(actorName);
    }

    public CompletableFuture<akka.actor.typed.ActorRef<Object>> lookup(
            String node, String actorName, Class<?> protocol, Duration timeout) {
        String gone = unavailable;
        if (gone != null) {
            return CompletableFuture.failedFuture(
                    new RemoteException(
                            "Lookup of '"
                                    + actorName
                                    + "' on node '"
                                    + node
                                    + "' failed: "
                                    + gone));
        }
        if (node.equals(self.name())) {
            ActorRef local = names.get(actorName);
            if (local != null) {
                return CompletableFuture.completedFuture(Adapter.toTyped(local));
            }
        } else if (clusterMode && links.upByName(node) == null) {
            akka.actor.Address member = clusterMember(node);
            if (member != null) {
                return lookupAcross(member, node, actorName, protocol, timeout);
            }
            CompletableFuture<akka.actor.typed.ActorRef<Object>> result = new CompletableFuture<>();
            awaitNode(
                    node,
                    actorName,
                    protocol,
                    System.nanoTime() + timeout.toNanos(),
                    timeout,
                    result);
            return result;
        }
        return lookupHere(node, actorName, protocol, timeout);
    }

    /**
     * Cluster mode: a lookup of a node not seen yet, on this machine or another, waits (checking
     * every 100 ms) until the node is up on either, then looks up there; or fails at the deadline.
     */
    private void awaitNode(
            String node,
            String actorName,
            Class<?> protocol,
            long deadline,
            Duration timeout,
            CompletableFuture<akka.actor.typed.ActorRef<Object>> result) {
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        CompletableFuture<akka.actor.typed.ActorRef<Object>> next = null;
        if (links.upByName(node) != null) {
            next = lookupHere(node, actorName, protocol, left);
        } else {
            akka.actor.Address member = clusterMember(node);
            if (member != null) {
                next = lookupAcross(member, node, actorName, protocol, left);
            }
        }
        if (next != null) {
            next.whenComplete(
                    (ref, e) -> {
                        if (e != null) {
                            result.completeExceptionally(
                                    e instanceof java.util.concurrent.CompletionException
                                                    && e.getCause() != null
                                            ? e.getCause()
                                            : e);
                        } else {
                            result.complete(ref);
                        }
                    });
        } else if (left.isZero() || closed) {
            result.completeExceptionally(
                    new RemoteException(
                            "Lookup of '"
                                    + actorName
                                    + "' on node '"
                                    + node
                                    + "' timed out after "
                                    + timeout.toMillis()
                                    + " ms: no node named '"
                                    + node
                                    + "' is up in this cluster ("
                                    + describeUp()
                                    + "). Check the node name, that the node runs with the same"
                                    + " troupe.remote.cluster-name, and that its machine joined"
                                    + " (troupe.cluster.seed-nodes); or raise"
                                    + " troupe.remote.lookup-timeout."));
        } else {
            java.util.concurrent.CompletableFuture.delayedExecutor(
                            Math.min(100, Math.max(1, left.toMillis())),
                            java.util.concurrent.TimeUnit.MILLISECONDS,
                            classic.dispatcher())
                    .execute(() -> awaitNode(node, actorName, protocol, deadline, timeout, result));
        }
    }

    /** A lookup on this node or one of this machine (IPC). */
    private CompletableFuture<akka.actor.typed.ActorRef<Object>> lookupHere(
            String node, String actorName, Class<?> protocol, Duration timeout) {
        return lookups.start(node, actorName, timeout)
                .thenApply(
                        h ->
                                Adapter.toTyped(
                                        h.incarnation() == self.incarnation()
                                                ? localExport(h.exportId())
                                                : remoteRef(
                                                        h.incarnation(), h.exportId(), protocol)));
    }

    /**
     * The Akka Cluster member on another machine that runs node {@code node} (its role), or null. A
     * member at this node's own host is on this machine: it is reached over IPC only, never over
     * Artery, so a lookup of it waits for its heartbeat as on one machine.
     */
    private akka.actor.Address clusterMember(String node) {
        ClusterMembers.Across known = acrossMembers.get(node);
        if (known != null) {
            return known.address();
        }
        String role = io.troupe.remote.cluster.ClusterSettings.ROLE_PREFIX + node;
        scala.Option<String> ownHost = classic.provider().getDefaultAddress().host();
        for (akka.cluster.Member m : akka.cluster.Cluster.get(classic).state().getMembers()) {
            if (m.hasRole(role)
                    && m.status() == akka.cluster.MemberStatus.up()
                    && !m.address().host().equals(ownHost)) {
                return m.address();
            }
        }
        return null;
    }

    /** A lookup of a node on another machine: ask its names actor over Artery. */
    private CompletableFuture<akka.actor.typed.ActorRef<Object>> lookupAcross(
            akka.actor.Address member,
            String node,
            String actorName,
            Class<?> protocol,
            Duration timeout) {
        return askService(member, replyTo -> new ClusterService.Query(actorName, replyTo), timeout)
                .handle(
                        (answer, e) -> {
                            if (answer instanceof ClusterService.Found f) {
                                return Adapter.<Object>toTyped(
                                        clusterRef(
                                                f.incarnation(),
                                                f.exportId(),
                                                f.homePath(),
                                                protocol));
                            }
                            String why =
                                    answer instanceof ClusterService.Missing m
                                            ? "no actor is published as '"
                                                    + actorName
                                                    + "' there (published: "
                                                    + m.published()
                                                    + ")"
                                            : "its node did not answer within "
                                                    + timeout.toMillis()
                                                    + " ms ("
                                                    + e
                                                    + ")";
                            throw new RemoteException(
                                    "Lookup of '"
                                            + actorName
                                            + "' on node '"
                                            + node
                                            + "' (at "
                                            + member
                                            + ", another machine) failed: "
                                            + why);
                        });
    }

    /** Asks the service of the node at {@code member} (another machine) over Artery. */
    private CompletableFuture<ClusterService.Answer> askService(
            akka.actor.Address member,
            akka.japi.function.Function<
                            akka.actor.typed.ActorRef<ClusterService.Answer>,
                            ClusterService.Protocol>
                    request,
            Duration timeout) {
        akka.actor.typed.ActorRef<ClusterService.Protocol> service =
                Adapter.toTyped(resolvePath(member + "/system/" + ClusterService.NAME));
        return akka.actor.typed.javadsl.AskPattern
                .<ClusterService.Protocol, ClusterService.Answer>ask(
                        service, request, timeout, Adapter.toTyped(classic).scheduler())
                .toCompletableFuture();
    }

    /** A spawn on a node of another machine: ask its service over Artery. */
    private CompletableFuture<akka.actor.typed.ActorRef<Object>> spawnAcross(
            akka.actor.Address member,
            String node,
            ActorKind<?> kind,
            String actorName,
            Duration timeout) {
        return askService(
                        member,
                        replyTo ->
                                new ClusterService.Spawn(
                                        kind.name(), actorName == null ? "" : actorName, replyTo),
                        timeout)
                .handle(
                        (answer, e) -> {
                            if (answer instanceof ClusterService.Found f) {
                                return Adapter.<Object>toTyped(
                                        clusterRef(
                                                f.incarnation(),
                                                f.exportId(),
                                                f.homePath(),
                                                kind.protocol()));
                            }
                            String why =
                                    answer instanceof ClusterService.Failed failed
                                            ? failed.why()
                                            : "node '"
                                                    + node
                                                    + "' (at "
                                                    + member
                                                    + ", another machine) did not answer within "
                                                    + timeout.toMillis()
                                                    + " ms ("
                                                    + e
                                                    + ")";
                            throw new RemoteException(Spawns.failure(kind.name(), node, why));
                        });
    }

    /** Who this node is, for a node on another machine. */
    ClusterService.Identity clusterIdentity() {
        return new ClusterService.Identity(
                self.name(), self.incarnation(), self.pid(), self.startedAtMillis());
    }

    /** Spawns a registered kind for a node on another machine, and answers it. Any thread. */
    void spawnForAcross(
            String kind,
            String actorName,
            akka.actor.typed.ActorRef<ClusterService.Answer> replyTo) {
        spawns.host(
                kind,
                actorName,
                false,
                result -> {
                    if (result instanceof Spawns.Spawned s) {
                        int id = exports.export(s.ref(), s.protocol());
                        replyTo.tell(
                                new ClusterService.Found(
                                        self.incarnation(), id, homePath(s.ref())));
                    } else {
                        replyTo.tell(new ClusterService.Failed(String.valueOf(result)));
                    }
                });
    }

    /** The answer of this node's names actor to a lookup from another machine. */
    ClusterService.Answer clusterAnswer(String name) {
        Control.LookupReply r = names.answer(0, name);
        ActorRef local = names.get(name);
        if (r.exportId() == 0 || local == null) {
            return new ClusterService.Missing(self.name(), name, r.published());
        }
        return new ClusterService.Found(self.incarnation(), r.exportId(), homePath(local));
    }

    /** Answers lookups from the links (and this node's own names). Transport thread. */
    private final class LookupResolver implements Lookups.Resolver {
        @Override
        public boolean ask(String node, long requestId, String name) {
            if (node.equals(self.name())) {
                lookups.onReply(self.incarnation(), names.answer(requestId, name));
                return true;
            }
            NodeLink l = links.upByName(node);
            if (l == null) {
                return false;
            }
            sendControl(l, new Control.Lookup(requestId, name));
            return true;
        }

        @Override
        public String describeMembers() {
            return describeUp();
        }

        @Override
        public String knownDown(String node) {
            return links.downDescription(node);
        }
    }

    // ---- remote spawn ----

    public void registerKind(ActorKind<?> kind) {
        codec.register(kind.protocol());
        spawns.register(kind);
    }

    public CompletableFuture<akka.actor.typed.ActorRef<Object>> spawn(
            String node, ActorKind<?> kind, String actorName, boolean countLoad, Duration timeout) {
        CompletableFuture<ActorRef> future = new CompletableFuture<>();
        String gone = unavailable;
        String down = links.downDescription(node);
        if (gone != null || down != null) {
            future.completeExceptionally(
                    new RemoteException(
                            Spawns.failure(
                                    kind.name(),
                                    node,
                                    gone != null
                                            ? gone
                                            : "that node is down ("
                                                    + down
                                                    + "; "
                                                    + links.describeUp()
                                                    + ")")));
        } else if (clusterMode
                && !node.equals(self.name())
                && links.upByName(node) == null
                && clusterMember(node) != null) {
            return spawnAcross(clusterMember(node), node, kind, actorName, timeout);
        } else if (node.equals(self.name())) {
            spawns.host(
                    kind.name(),
                    actorName,
                    countLoad,
                    result -> {
                        if (result instanceof Spawns.Spawned s) {
                            future.complete(s.ref());
                        } else {
                            future.completeExceptionally(
                                    new RemoteException(
                                            Spawns.failure(
                                                    kind.name(), node, String.valueOf(result))));
                        }
                    });
        } else {
            long id = spawns.start(node, kind.name(), kind.protocol(), timeout, future);
            commands.submit(
                    new Commands.Command() {
                        @Override
                        public void run() {
                            NodeLink link = links.upByName(node);
                            if (link == null) {
                                spawns.fail(
                                        id,
                                        Spawns.failure(
                                                kind.name(),
                                                node,
                                                "no such node is up (" + describeUp() + ")"));
                            } else {
                                sendControl(
                                        link,
                                        new Control.Spawn(
                                                id,
                                                kind.name(),
                                                actorName == null ? "" : actorName,
                                                countLoad));
                            }
                        }

                        @Override
                        public void refuse(String why) {
                            spawns.fail(id, Spawns.failure(kind.name(), node, why));
                        }
                    });
        }
        return future.thenApply(Adapter::toTyped);
    }

    // ---- membership ----

    /** Internal listener for pools: called on the transport thread; must not block. */
    public void addListener(Consumer<MembershipEvent> listener) {
        membership.addListener(listener);
    }

    /** The nodes up: this machine's, then (cluster mode) those on other machines. */
    public List<Member> members() {
        if (acrossMembers == null) {
            return links.upMembers();
        }
        List<Member> all = new java.util.ArrayList<>(links.upMembers());
        all.addAll(acrossMembers.members());
        return all;
    }

    /**
     * Membership events of nodes on other machines, from {@link ClusterMembers}' actor: applied on
     * the transport thread, in order with this machine's, so a subscriber never gets a node's
     * {@code NodeUp} twice.
     */
    final class AcrossEvents {
        void up(ClusterMembers.Across a) {
            commands.submit(
                    new Commands.Command() {
                        @Override
                        public void run() {
                            acrossMembers.up(a, membership::publish);
                        }

                        @Override
                        public void refuse(String why) {}
                    });
        }

        void down(akka.actor.Address address, MembershipEvent.Reason reason, String detail) {
            commands.submit(
                    new Commands.Command() {
                        @Override
                        public void run() {
                            acrossMembers.down(address, reason, detail, membership::publish);
                        }

                        @Override
                        public void refuse(String why) {}
                    });
        }

        void nameTaken(String why) {
            nameTaken = why;
        }
    }

    /** "up: a, b" (with the nodes on other machines, "up on other machines: c"). */
    private String describeUp() {
        String here = links.describeUp();
        if (acrossMembers == null) {
            return here;
        }
        List<String> there = acrossMembers.members().stream().map(Member::name).sorted().toList();
        return there.isEmpty()
                ? here
                : here + "; up on other machines: " + String.join(", ", there);
    }

    /** Why this node left the Akka Cluster on its own (its name was taken), or null. */
    public String nameTaken() {
        return nameTaken;
    }

    public void subscribe(akka.actor.typed.ActorRef<MembershipEvent> subscriber) {
        requireOpen("subscribe " + subscriber);
        commands.submit(
                new Commands.Command() {
                    @Override
                    public void run() {
                        membership.subscribe(subscriber);
                    }

                    @Override
                    public void refuse(String why) {}
                });
    }

    public void unsubscribe(akka.actor.typed.ActorRef<MembershipEvent> subscriber) {
        commands.submit(
                new Commands.Command() {
                    @Override
                    public void run() {
                        membership.unsubscribe(subscriber);
                    }

                    @Override
                    public void refuse(String why) {}
                });
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

    /** Null while the node reaches other nodes; otherwise why not ("node 'a' ... is closed"). */
    public String unavailable() {
        return unavailable;
    }

    private void requireOpen(String what) {
        String gone = unavailable;
        if (closed && gone != null) {
            throw new RemoteException("Cannot " + what + ": " + gone);
        }
    }

    // ---- link state changes ----

    /** A link went down ({@link Links#down}): everything that depended on it learns it. */
    private void onLinkDown(NodeLink link, MembershipEvent.Reason reason, String detail) {
        outbound.failAll(link);
        inbound.forget(link);
        deathWatch.nodeDown(link);
        membership.publish(new MembershipEvent.NodeDown(link.member, reason, detail));
        LOG.info("Node {} sees node {} down: {}", self.name(), link.name, link.downReason());
    }

    // ---- errors, eviction and shutdown ----

    private void onAeronError(Throwable t) {
        if (t instanceof DriverTimeoutException
                || t instanceof ConductorServiceTimeoutException
                || t instanceof AgentTerminationException
                || aeron != null && aeron.isClosed()) {
            if (driverLost || closed) {
                return;
            }
            unavailable =
                    "the media driver of cluster '"
                            + self.cluster()
                            + "' was lost at "
                            + LocalTime.now().truncatedTo(ChronoUnit.MILLIS)
                            + " ("
                            + t.getClass().getSimpleName()
                            + "), so node '"
                            + self.name()
                            + "' reaches no other node; restart the process to rejoin";
            driverLost = true;
            if (t instanceof DriverTimeoutException) {
                LOG.error(
                        "Troupe node {} lost its media driver in {} (pid {}): it can no longer reach other nodes. The process"
                                + " that hosted the driver has probably exited; run a standalone driver (io.troupe.remote.driver.StandaloneDriver)"
                                + " so that no node process is special.",
                        self.name(),
                        driver.aeronDirectory(),
                        driver.driverPid());
            } else {
                LOG.error(
                        "Troupe node {} lost its Aeron client ({}): it can no longer reach other nodes. This happens when the"
                                + " process gets no CPU for longer than troupe.remote.driver.client-liveness-timeout ({} ms), e.g. on an"
                                + " overloaded machine or in a long GC pause; raise that timeout if such stalls are expected, and restart"
                                + " the process to rejoin.",
                        self.name(),
                        t.toString(),
                        settings.driver().clientLivenessTimeout().toMillis());
            }
        } else if (!closed) {
            LOG.warn("Aeron client error on node {}: {}", self.name(), t.toString());
        }
    }

    /**
     * The transport thread noticed the driver is gone: every peer goes down, lookups and spawns
     * fail. Returns the reason, or null while the driver is fine. Transport thread.
     */
    private String onDriverLost() {
        if (!driverLost) {
            return null;
        }
        String why = unavailable;
        links.downAll(MembershipEvent.Reason.DRIVER_LOST, why);
        lookups.close(why);
        spawns.close(why);
        return why;
    }

    /**
     * The cluster declared this node down: by {@code troupe.remote.on-evicted}. Transport thread.
     */
    private void onEvicted(String reason) {
        if (rejoin != null) {
            LOG.error(
                    "Node {} (incarnation {}) was declared down by the other nodes of cluster '{}' ({}): they have told their"
                            + " watchers it is gone. It joins again as a new incarnation (troupe.remote.on-evicted ="
                            + " \"rejoin\"): refs obtained before are dead, look them up again. Raise"
                            + " troupe.remote.heartbeat-timeout ({} ms) if stalls this long are expected.",
                    self.name(),
                    Long.toHexString(self.incarnation()),
                    self.cluster(),
                    reason,
                    settings.heartbeatTimeout().toMillis());
            unavailable =
                    "node '"
                            + self.name()
                            + "' was evicted from cluster '"
                            + self.cluster()
                            + "' ("
                            + reason
                            + ") and is joining again as a new incarnation; refs obtained before"
                            + " the eviction are dead";
            lookups.close(unavailable);
            spawns.close(unavailable);
            rejoin.accept(this);
            return;
        }
        LOG.error(
                "Node {} (incarnation {}) was declared down by the other nodes of cluster '{}' ({}): they have told their"
                        + " watchers it is gone, so it cannot carry on. It terminates its actor system"
                        + " (troupe.remote.on-evicted = \"{}\"); start the process again to rejoin as a new incarnation,"
                        + " and raise troupe.remote.heartbeat-timeout ({} ms) if stalls this long are expected.",
                self.name(),
                Long.toHexString(self.incarnation()),
                self.cluster(),
                reason,
                settings.onEvicted().configValue(),
                settings.heartbeatTimeout().toMillis());
        unavailable =
                "node '"
                        + self.name()
                        + "' was evicted from cluster '"
                        + self.cluster()
                        + "' ("
                        + reason
                        + ")";
        classic.terminate();
    }

    private void onAgentError(Throwable t) {
        if (!closed) {
            LOG.error(
                    "Troupe transport of node {} failed while polling; it keeps running",
                    self.name(),
                    t);
        }
    }

    @Override
    public synchronized void close() {
        close(false);
    }

    /**
     * Closes this evicted incarnation for the next one, which takes over its media driver, its
     * node-name lock and its counters' values ({@link #Transport(ActorSystem, RemoteSettings,
     * Transport, Consumer, Consumer)}). Not on the transport thread.
     */
    public synchronized void closeForRejoin() {
        close(true);
    }

    private void close(boolean forRejoin) {
        if (closed) {
            return;
        }
        String why =
                nameTaken != null
                        ? "node '" + self.name() + "' is closed: its " + nameTaken
                        : forRejoin && unavailable != null
                                ? unavailable
                                : "node '"
                                        + self.name()
                                        + "' of cluster '"
                                        + self.cluster()
                                        + "' is closed";
        unavailable = why;
        closed = true;
        CloseHelper.quietClose(runner); // the transport thread has stopped when this returns
        if (!driverLost && !forRejoin) {
            try {
                membership.publishLeave();
            } catch (RuntimeException e) {
                LOG.debug("Could not announce the leave of node {}: {}", self.name(), e.toString());
            }
        }
        if (classic.whenTerminated().isCompleted()) {
            completions.dispatcherGone();
        }
        links.downAll(MembershipEvent.Reason.LEFT, "this node (" + self.name() + ") closed");
        if (acrossMembersActor != null) {
            classic.stop(Adapter.toClassic(acrossMembersActor));
        }
        commands.close(why);
        lookups.close(why);
        spawns.close(why);
        if (forRejoin) {
            long[] values = new long[NodeCounters.Kind.values().length];
            for (NodeCounters.Kind k : NodeCounters.Kind.values()) {
                values[k.ordinal()] = counters.get(k);
            }
            finalCounts = values;
            handedOver = true;
        }
        CloseHelper.quietCloseAll(
                counters, inboundSubscription, membershipSubscription, membershipPublication);
        CloseHelper.quietClose(aeron);
        if (!handedOver) {
            CloseHelper.quietCloseAll(nameLock, driver);
        }
        LOG.info(
                "Troupe node {} (incarnation {}) left cluster '{}'{}",
                self.name(),
                Long.toHexString(self.incarnation()),
                settings.clusterName(),
                forRejoin ? " to join it again" : "");
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
