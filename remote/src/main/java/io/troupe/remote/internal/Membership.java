package io.troupe.remote.internal;

import akka.actor.typed.ActorRef;
import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import io.troupe.core.codec.CodecException;
import io.troupe.core.codec.MessageCodec;
import io.troupe.remote.Member;
import io.troupe.remote.MembershipEvent;
import io.troupe.remote.RemoteSettings;
import io.troupe.remote.driver.DriverHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership of this node's cluster on this machine: heartbeats out and in on the membership
 * stream, joins, clean leaves, and failure detection (a peer's pid gone, or no heartbeat for {@code
 * heartbeat-timeout}); and the subscribers told of every change.
 *
 * <p>A heartbeat names the sender's cluster: one Aeron directory may be shared by several clusters
 * (a mistaken {@code aeron-dir}), and a node of another cluster is refused with a log line naming
 * both, never merged. A heartbeat from an incarnation declared down is answered with {@link
 * Control.Downed}; a node that hears it about itself is evicted and acts by {@code
 * troupe.remote.on-evicted}.
 *
 * <p>Thread safety: transport thread only, except {@link #addListener} (any thread) and {@link
 * #publishLeave} (the closing thread, once the transport thread stopped).
 */
final class Membership {
    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
    private static final long PID_CHECK_NANOS = Duration.ofMillis(50).toNanos();

    /** What to do when the cluster declares this node down. */
    interface Evicted {
        void onEvicted(String reason);
    }

    private final Self self;
    private final RemoteSettings settings;
    private final MessageCodec codec;
    private final Links links;
    private final Aeron aeron;
    private final String channel;
    private final DriverHandle driver;
    private final Subscription subscription;
    private final Publication publication;
    private final Evicted evicted;
    private final Reassembler handler;
    private final Rejections rejections;
    private final RateLimitedLog strangers = new RateLimitedLog(LOG, Duration.ofSeconds(10));
    private final long heartbeatIntervalNanos;
    private final long heartbeatTimeoutNanos;
    private final List<ActorRef<MembershipEvent>> subscribers = new ArrayList<>();
    private final List<Consumer<MembershipEvent>> listeners = new CopyOnWriteArrayList<>();
    private byte[] scratch = new byte[1024];
    private long nextHeartbeat;
    private long nextPidCheck;
    private long lastDownedNotice;
    private long lastTick = System.nanoTime();
    private boolean announceNow = true;
    private boolean isEvicted;

    Membership(
            Self self,
            RemoteSettings settings,
            MessageCodec codec,
            Links links,
            Aeron aeron,
            String channel,
            DriverHandle driver,
            Subscription subscription,
            Publication publication,
            Rejections rejections,
            Evicted evicted) {
        this.self = self;
        this.settings = settings;
        this.codec = codec;
        this.links = links;
        this.aeron = aeron;
        this.channel = channel;
        this.driver = driver;
        this.subscription = subscription;
        this.publication = publication;
        this.rejections = rejections;
        this.evicted = evicted;
        this.heartbeatIntervalNanos = settings.heartbeatInterval().toNanos();
        this.heartbeatTimeoutNanos = settings.heartbeatTimeout().toNanos();
        this.handler =
                new Reassembler(
                        (buffer, offset, length, header) -> {
                            try {
                                onFrame(buffer, offset, length, header);
                            } catch (RuntimeException e) {
                                rejections.reject(
                                        "a "
                                                + length
                                                + "-byte membership frame whose handling failed ("
                                                + e
                                                + ")",
                                        false);
                            }
                            return ControlledFragmentHandler.Action.CONTINUE;
                        });
    }

    int poll() {
        return subscription.controlledPoll(handler, 32);
    }

    /** Heartbeats, failure detection and reassembly clean-up, on the transport's timer. */
    int tick(long now) {
        int work = 0;
        if (now - lastTick > heartbeatIntervalNanos * 2) {
            // This thread did not run for a while (a GC pause, SIGSTOP, a starved machine): the
            // silence was ours, not the peers'. Give every peer a fresh window rather than declare
            // them all down for our own stall; if the others declared us down meanwhile, their
            // Downed notice evicts this node instead.
            for (NodeLink l : links.up()) {
                l.lastHeartbeatNanos = Math.max(l.lastHeartbeatNanos, now);
            }
            LOG.warn(
                    "Node {} did not run for {} ms (a GC pause or a stopped process?); peers get a"
                            + " fresh heartbeat window",
                    self.name(),
                    TimeUnit.NANOSECONDS.toMillis(now - lastTick));
        }
        lastTick = now;
        if (!isEvicted && (announceNow || now - nextHeartbeat >= 0)) {
            announceNow = false;
            nextHeartbeat = now + heartbeatIntervalNanos;
            offer(
                    new Control.Heartbeat(
                            self.cluster(),
                            self.name(),
                            self.incarnation(),
                            self.pid(),
                            self.streamId(),
                            self.startedAtMillis(),
                            self.artery()));
            work++;
        }
        boolean checkPids = now - nextPidCheck >= 0;
        if (checkPids) {
            nextPidCheck = now + PID_CHECK_NANOS;
        }
        for (NodeLink l : links.up()) {
            if (checkPids && !processAlive(l.pid)) {
                links.down(l, MembershipEvent.Reason.EXITED, "its process " + l.pid + " exited");
                work++;
            } else if (now - l.lastHeartbeatNanos > heartbeatTimeoutNanos) {
                links.down(
                        l,
                        MembershipEvent.Reason.UNRESPONSIVE,
                        "no heartbeat for "
                                + TimeUnit.NANOSECONDS.toMillis(now - l.lastHeartbeatNanos)
                                + " ms (heartbeat-timeout "
                                + settings.heartbeatTimeout().toMillis()
                                + " ms)");
                work++;
            }
        }
        handler.freeGoneSessions(subscription);
        return work;
    }

    /** Whether a heartbeat is due at once (a newcomer should learn about this node). */
    boolean announceNow() {
        return announceNow;
    }

    /** Announces a clean leave. The closing thread, after the transport thread stopped. */
    void publishLeave() {
        offer(new Control.Leave(self.name(), self.incarnation()));
    }

    // ---- subscribers ----

    /**
     * Transport thread (through the command queue, as {@link #unsubscribe}: one path, in order).
     */
    void subscribe(ActorRef<MembershipEvent> subscriber) {
        if (!subscribers.contains(subscriber)) {
            subscribers.add(subscriber);
        }
        for (NodeLink l : links.up()) {
            subscriber.tell(new MembershipEvent.NodeUp(l.member));
        }
        for (Member m : acrossMembers.get()) {
            subscriber.tell(new MembershipEvent.NodeUp(m));
        }
    }

    /** Nodes on other machines that are up (cluster mode), for a new subscriber's first events. */
    private java.util.function.Supplier<List<Member>> acrossMembers = List::of;

    /** Sets where {@link #subscribe} finds the nodes on other machines. Once, at start. */
    void acrossMembers(java.util.function.Supplier<List<Member>> across) {
        this.acrossMembers = across;
    }

    void unsubscribe(ActorRef<MembershipEvent> subscriber) {
        subscribers.remove(subscriber);
    }

    int subscriberCount() {
        return subscribers.size();
    }

    /** An internal listener (pools): called on the transport thread; must not block. Any thread. */
    void addListener(Consumer<MembershipEvent> listener) {
        listeners.add(listener);
    }

    void publish(MembershipEvent event) {
        for (Consumer<MembershipEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("A membership listener failed: {}", e.toString());
            }
        }
        for (ActorRef<MembershipEvent> s : subscribers) {
            s.tell(event);
        }
    }

    // ---- the membership stream ----

    private void offer(Control message) {
        long r = publication.offer(new UnsafeBuffer(codec.encode(message)));
        if (r < 0 && r != Publication.NOT_CONNECTED) {
            LOG.debug(
                    "Membership announcement of node {} not published ({}); the next heartbeat follows",
                    self.name(),
                    Outbound.offerResult(r));
        }
    }

    private void onFrame(DirectBuffer buffer, int offset, int length, Header header) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        buffer.getBytes(offset, scratch, 0, length);
        Object message;
        try {
            message = codec.decode(scratch, 0, length);
        } catch (CodecException e) {
            rejections.reject(
                    "a membership frame that does not decode (" + e.getMessage() + ")", true);
            return;
        }
        if (message instanceof Control.Heartbeat hb) {
            onHeartbeat(hb);
        } else if (message instanceof Control.Downed downed) {
            if (downed.incarnation() == self.incarnation() && !isEvicted) {
                evict(downed.reason());
            }
        } else if (message instanceof Control.Leave leave) {
            NodeLink l = links.get(leave.incarnation());
            if (l != null) {
                links.down(l, MembershipEvent.Reason.LEFT, "it left the cluster");
            }
        } else {
            rejections.reject(
                    "a " + message.getClass().getSimpleName() + " on the membership stream", false);
        }
    }

    private void onHeartbeat(Control.Heartbeat hb) {
        if (hb.incarnation() == self.incarnation() || isEvicted) {
            return;
        }
        if (!hb.cluster().equals(self.cluster())) {
            strangers.warn(
                    "Node {} refuses {}",
                    self.name(),
                    "node '"
                            + hb.node()
                            + "' (pid "
                            + hb.pid()
                            + ") of cluster '"
                            + hb.cluster()
                            + "', which announces itself in the Aeron directory of cluster '"
                            + self.cluster()
                            + "': two clusters share one aeron-dir. Give each cluster its own"
                            + " troupe.remote.aeron-dir (the default derives it from the cluster"
                            + " name)");
            return;
        }
        if (hb.artery().isEmpty() != self.artery().isEmpty()) {
            strangers.warn(
                    "Node {} refuses {}",
                    self.name(),
                    "node '"
                            + hb.node()
                            + "' (pid "
                            + hb.pid()
                            + "): "
                            + (self.artery().isEmpty()
                                    ? "it is an Akka Cluster member (troupe.cluster.enabled = on, "
                                            + hb.artery()
                                            + ") and this node is not"
                                    : "this node is an Akka Cluster member (troupe.cluster.enabled"
                                            + " = on) and it is not")
                            + "; their refs are written differently, so the nodes of one"
                            + " machine must all have troupe.cluster.enabled set alike");
            return;
        }
        if (links.isTombstoned(hb.incarnation())) {
            long now = System.nanoTime();
            if (now - lastDownedNotice > heartbeatIntervalNanos) {
                lastDownedNotice = now;
                offer(
                        new Control.Downed(
                                hb.node(),
                                hb.incarnation(),
                                "node "
                                        + self.name()
                                        + " declared it down earlier and does not take it back"));
            }
            return;
        }
        NodeLink link = links.get(hb.incarnation());
        if (link != null) {
            link.lastHeartbeatNanos = System.nanoTime();
            return;
        }
        if (hb.node().equals(self.name())) {
            LOG.error(
                    "Another process (pid {}) announces the node name '{}' of this node in cluster '{}'; ignoring it",
                    hb.pid(),
                    hb.node(),
                    self.cluster());
            links.tombstone(hb.incarnation());
            return;
        }
        if (hb.streamId() != Wire.inboundStreamId(hb.node(), hb.incarnation())
                || hb.streamId() == self.streamId()) {
            LOG.error(
                    "Node '{}' (pid {}) announces stream {} which {}; ignoring it.",
                    hb.node(),
                    hb.pid(),
                    hb.streamId(),
                    hb.streamId() == self.streamId()
                            ? "is this node's own (a one-in-a-billion hash clash of two incarnations:"
                                    + " restart either process to draw a new incarnation)"
                            : "does not match its name and incarnation");
            links.tombstone(hb.incarnation());
            return;
        }
        NodeLink previous = links.upByName(hb.node());
        if (previous != null) {
            links.down(
                    previous,
                    MembershipEvent.Reason.RESTARTED,
                    "pid " + hb.pid() + " took its name as a new incarnation");
        }
        Publication pub;
        try {
            driver.requireSpaceForStream(
                    settings.termLength(), "the stream to node '" + hb.node() + "'");
            pub = aeron.addExclusivePublication(channel, hb.streamId());
        } catch (RuntimeException e) {
            // No room for its log (a full /dev/shm): this node cannot reach it; say so and let
            // its next heartbeat try again.
            strangers.warn(
                    "Node {} cannot open a stream to a node: {}",
                    self.name(),
                    "node '" + hb.node() + "' (pid " + hb.pid() + "): " + e.getMessage());
            return;
        }
        NodeLink l =
                new NodeLink(
                        hb.node(),
                        hb.incarnation(),
                        hb.pid(),
                        hb.streamId(),
                        hb.startedAtEpochMillis(),
                        hb.artery(),
                        pub);
        l.lastHeartbeatNanos = System.nanoTime();
        links.add(l);
        announceNow = true; // let the newcomer learn about this node at once
        publish(new MembershipEvent.NodeUp(l.member));
        LOG.info("Node {} sees node {} up", self.name(), l);
    }

    /** Other nodes declared this incarnation down: every peer is gone for it. */
    private void evict(String reason) {
        isEvicted = true;
        String detail = "this node was declared down: " + reason;
        links.downAll(MembershipEvent.Reason.UNRESPONSIVE, detail);
        publish(
                new MembershipEvent.NodeDown(
                        self.member(), MembershipEvent.Reason.UNRESPONSIVE, detail));
        evicted.onEvicted(reason);
    }

    private static boolean processAlive(long pid) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        return p.isPresent() && p.get().isAlive();
    }
}
