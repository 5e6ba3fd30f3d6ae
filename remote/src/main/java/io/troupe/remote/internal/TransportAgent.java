package io.troupe.remote.internal;

import akka.actor.ActorRef;
import akka.actor.AddressTerminated;
import akka.event.AddressTerminatedTopic;
import io.aeron.ControlledFragmentAssembler;
import io.aeron.Publication;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.troupe.core.codec.CodecException;
import io.troupe.core.dispatch.CountedMailbox;
import io.troupe.remote.MembershipEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport thread's duty cycle: poll the membership stream and this node's inbound stream,
 * deliver what arrives to local actors, offer what waits under back-pressure, run commands from
 * other threads (watches, subscriptions), and on a timer publish heartbeats, detect failed nodes,
 * retry lookups and flush counters. It never blocks on a peer.
 *
 * <p>Inbound frames are untrusted: each is checked (length, version, target incarnation, sender
 * membership) before its payload is decoded, and every rejection is counted and logged at a limited
 * rate. The node keeps serving whatever else arrives.
 *
 * <p>Thread safety: runs on its own thread (one per node); {@link #awaitDiscovery} is for the
 * starting thread.
 */
final class TransportAgent implements Agent {
    private static final Logger LOG = LoggerFactory.getLogger(TransportAgent.class);
    private static final long TICK_NANOS = Duration.ofMillis(5).toNanos();
    private static final long PID_CHECK_NANOS = Duration.ofMillis(50).toNanos();
    private static final long TOMBSTONES = 4096;

    private final Transport t;
    private final Reassembler inboundHandler;
    private final Reassembler membershipHandler;
    private final Long2ObjectHashMap<NodeLink> links = new Long2ObjectHashMap<>();
    private final List<NodeLink> upLinks = new ArrayList<>();
    private final LinkedHashSet<Long> tombstones = new LinkedHashSet<>();
    private final ChunkAssembler chunks;
    private final RateLimitedLog rejections = new RateLimitedLog(LOG, Duration.ofSeconds(1));
    private final long heartbeatIntervalNanos;
    private final long heartbeatTimeoutNanos;
    private final UnsafeBuffer scratchView = new UnsafeBuffer(new byte[0]);
    private byte[] scratch = new byte[4096];
    private long nextTick;
    private long nextHeartbeat;
    private long nextPidCheck;
    private boolean announceNow;
    private final CountDownLatch discovered = new CountDownLatch(1);
    private static final int MAILBOX_CHECK_EVERY = 256;
    private static final long RESUME_CHECK_NANOS = Duration.ofMillis(1).toNanos();
    private final int mailboxLimit;
    private final org.agrona.collections.Int2IntHashMap deliveriesSinceCheck =
            new org.agrona.collections.Int2IntHashMap(0);
    private final RateLimitedLog pauses = new RateLimitedLog(LOG, Duration.ofSeconds(5));
    private ActorRef pausedOn;
    private CountedMailbox.CountedQueue pausedQueue; // pausedOn's queue when counted
    private boolean warnedUncounted;
    private long nextResumeCheck;
    private long nextMailboxCheck;
    private static final long SWEEP_NANOS = Duration.ofMillis(100).toNanos();
    private long nextSweep;
    private boolean evicted;
    private boolean lostReported;
    private long lastDownedNotice;
    private volatile long discoveryEndsNanos = Long.MAX_VALUE;

    TransportAgent(Transport transport) {
        this.t = transport;
        this.chunks = new ChunkAssembler(transport.settings.maxMessageBytes());
        FragmentHandler frames = guarded(this::onFrame, "frame");
        // Stop a poll after the frame that filled a mailbox over the limit: what it held is the
        // only slack.
        this.inboundHandler =
                new Reassembler(
                        (buffer, offset, length, header) -> {
                            frames.onFragment(buffer, offset, length, header);
                            return pausedOn == null
                                    ? ControlledFragmentHandler.Action.CONTINUE
                                    : ControlledFragmentHandler.Action.BREAK;
                        });
        FragmentHandler membership = guarded(this::onMembership, "membership frame");
        this.membershipHandler =
                new Reassembler(
                        (buffer, offset, length, header) -> {
                            membership.onFragment(buffer, offset, length, header);
                            return ControlledFragmentHandler.Action.CONTINUE;
                        });
        this.heartbeatIntervalNanos = transport.settings.heartbeatInterval().toNanos();
        this.heartbeatTimeoutNanos = transport.settings.heartbeatTimeout().toNanos();
        this.mailboxLimit = transport.settings.inboundMailboxLimit();
        if (mailboxLimit > 0) {
            warnIfDefaultMailboxesUncounted(transport.name, transport.classic.settings().config());
        }
    }

    @Override
    public String roleName() {
        return "troupe-transport-" + t.name;
    }

    @Override
    public void onStart() {
        announceNow = true;
        lowerTimerSlack();
    }

    /**
     * On Linux a park of 1 µs sleeps ~50 µs more (the default timer slack): the backoff idle
     * strategy parks between messages, so this thread asks for 1 ns of slack on itself (allowed
     * without privilege for one's own thread). Elsewhere, or if refused, nothing changes.
     */
    private void lowerTimerSlack() {
        try {
            java.nio.file.Path slack = java.nio.file.Path.of("/proc/thread-self/timerslack_ns");
            if (java.nio.file.Files.isWritable(slack)) {
                java.nio.file.Files.writeString(slack, "1");
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.debug("Could not lower the timer slack of the transport thread: {}", e.toString());
        }
    }

    /**
     * Blocks the starting thread until the node has announced itself and heard the others answer.
     */
    void awaitDiscovery(Duration window) {
        discoveryEndsNanos = System.nanoTime() + window.toNanos();
        try {
            discovered.await(window.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int doWork() {
        if (t.driverLost) {
            if (!upLinks.isEmpty() || !lostReported) {
                lostReported = true;
                for (NodeLink l : new ArrayList<>(upLinks)) {
                    down(
                            l,
                            MembershipEvent.Reason.DRIVER_LOST,
                            "this node lost its media driver or Aeron client");
                }
                t.lookups.failAll(
                        "Node "
                                + t.name
                                + " lost its media driver or Aeron client and reaches no other node");
                t.spawns.failAll(
                        "Node "
                                + t.name
                                + " lost its media driver or Aeron client and reaches no other node");
            }
            return 0; // nothing to poll any more: the Aeron client is gone
        }
        int work = t.membership.controlledPoll(membershipHandler, 32);
        long pollNow = System.nanoTime();
        if (pausedOn == null || resumeIfDrained(pollNow)) {
            work += t.inbound.controlledPoll(inboundHandler, 256);
        }
        Runnable command;
        while ((command = t.commands.poll()) != null) {
            command.run();
            work++;
        }
        long now = System.nanoTime();
        for (int i = 0, n = upLinks.size(); i < n; i++) {
            NodeLink l = upLinks.get(i);
            if (!l.queue.isEmpty()) {
                work += t.outbound.drain(l, now);
            }
        }
        if (now - nextTick >= 0 || announceNow) {
            nextTick = now + TICK_NANOS;
            work += tick(now);
        }
        return work;
    }

    private int tick(long now) {
        int work = 0;
        if (!evicted && (announceNow || now - nextHeartbeat >= 0)) {
            announceNow = false;
            nextHeartbeat = now + heartbeatIntervalNanos;
            publishHeartbeat();
            work++;
        }
        if (now - discoveryEndsNanos >= 0) {
            discovered.countDown();
        }
        boolean checkPids = now - nextPidCheck >= 0;
        if (checkPids) {
            nextPidCheck = now + PID_CHECK_NANOS;
        }
        for (NodeLink l : new ArrayList<>(upLinks)) {
            if (checkPids && !processAlive(l.pid)) {
                down(l, MembershipEvent.Reason.EXITED, "its process " + l.pid + " exited");
                work++;
            } else if (now - l.lastHeartbeatNanos > heartbeatTimeoutNanos) {
                down(
                        l,
                        MembershipEvent.Reason.UNRESPONSIVE,
                        "no heartbeat for "
                                + TimeUnit.NANOSECONDS.toMillis(now - l.lastHeartbeatNanos)
                                + " ms (heartbeat-timeout "
                                + t.settings.heartbeatTimeout().toMillis()
                                + " ms)");
                work++;
            }
        }
        work +=
                t.lookups.tick(
                        now,
                        new Lookups.Resolver() {
                            @Override
                            public boolean ask(String node, long requestId, String name) {
                                NodeLink l = t.upByName.get(node);
                                if (l == null) {
                                    return false;
                                }
                                t.sendControl(l, new Control.Lookup(requestId, name));
                                return true;
                            }

                            @Override
                            public String describeMembers() {
                                return t.upByName.isEmpty()
                                        ? "no other node is up"
                                        : "up: "
                                                + t.upByName.keySet().stream()
                                                        .sorted()
                                                        .collect(Collectors.joining(", "));
                            }
                        });
        work += t.spawns.tick(now);
        if (now - nextSweep >= 0) {
            nextSweep = now + SWEEP_NANOS;
            t.exports.sweepTemporary();
        }
        inboundHandler.freeGoneSessions(t.inbound);
        membershipHandler.freeGoneSessions(t.membership);
        if (deliveriesSinceCheck.size() > 4096) {
            deliveriesSinceCheck.clear(); // short-lived reply actors come and go; counts restart
        }
        t.counters.flush();
        return work;
    }

    private static boolean processAlive(long pid) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        return p.isPresent() && p.get().isAlive();
    }

    // ---- membership stream ----

    private void publishHeartbeat() {
        Control.Heartbeat hb =
                new Control.Heartbeat(
                        t.name,
                        t.incarnation,
                        ProcessHandle.current().pid(),
                        t.streamId,
                        t.startedAtMillis);
        offerMembership(t, hb);
    }

    static void publishLeave(Transport t) {
        offerMembership(t, new Control.Leave(t.name, t.incarnation));
    }

    private static void offerMembership(Transport t, Control message) {
        byte[] bytes = t.codec.encode(message);
        long r = t.membershipPublication.offer(new UnsafeBuffer(bytes));
        if (r < 0 && r != Publication.NOT_CONNECTED) {
            LOG.debug(
                    "Membership announcement of node {} not published ({}); the next heartbeat follows",
                    t.name,
                    Outbound.offerResult(r));
        }
    }

    private void onMembership(DirectBuffer buffer, int offset, int length, Header header) {
        Object message;
        try {
            message = t.codec.decode(copy(buffer, offset, length), 0, length);
        } catch (CodecException e) {
            reject("a membership frame that does not decode (" + e.getMessage() + ")", true);
            return;
        }
        if (message instanceof Control.Heartbeat hb) {
            onHeartbeat(hb);
        } else if (message instanceof Control.Downed downed) {
            if (downed.incarnation() == t.incarnation && !evicted) {
                evict(downed.reason());
            }
        } else if (message instanceof Control.Leave leave) {
            NodeLink l = links.get(leave.incarnation());
            if (l != null && l.isUp()) {
                down(l, MembershipEvent.Reason.LEFT, "it left the cluster");
            }
        } else {
            reject("a " + message.getClass().getSimpleName() + " on the membership stream", false);
        }
    }

    private void onHeartbeat(Control.Heartbeat hb) {
        if (hb.incarnation() == t.incarnation || evicted) {
            return;
        }
        if (tombstones.contains(hb.incarnation())) {
            long now = System.nanoTime();
            if (now - lastDownedNotice > heartbeatIntervalNanos) {
                lastDownedNotice = now;
                offerMembership(
                        t,
                        new Control.Downed(
                                hb.node(),
                                hb.incarnation(),
                                "node "
                                        + t.name
                                        + " declared it down earlier and does not take it back"));
            }
            return;
        }
        NodeLink link = links.get(hb.incarnation());
        if (link != null) {
            link.lastHeartbeatNanos = System.nanoTime();
            return;
        }
        if (hb.node().equals(t.name)) {
            LOG.error(
                    "Another process (pid {}) announces the node name '{}' of this node in cluster '{}'; ignoring it",
                    hb.pid(),
                    hb.node(),
                    t.settings.clusterName());
            tombstone(hb.incarnation());
            return;
        }
        if (hb.streamId() != Wire.inboundStreamId(hb.node(), hb.incarnation())
                || hb.streamId() == t.streamId) {
            LOG.error(
                    "Node '{}' (pid {}) announces stream {} which {}; ignoring it.",
                    hb.node(),
                    hb.pid(),
                    hb.streamId(),
                    hb.streamId() == t.streamId
                            ? "is this node's own (a one-in-a-billion hash clash of two incarnations:"
                                    + " restart either process to draw a new incarnation)"
                            : "does not match its name and incarnation");
            tombstone(hb.incarnation());
            return;
        }
        NodeLink previous = t.upByName.get(hb.node());
        if (previous != null) {
            down(
                    previous,
                    MembershipEvent.Reason.RESTARTED,
                    "pid " + hb.pid() + " took its name as a new incarnation");
        }
        NodeLink l =
                new NodeLink(
                        hb.node(),
                        hb.incarnation(),
                        hb.pid(),
                        hb.streamId(),
                        hb.startedAtEpochMillis());
        l.lastHeartbeatNanos = System.nanoTime();
        l.publication = t.aeron().addPublication(t.ipcChannel(), hb.streamId());
        links.put(l.incarnation, l);
        upLinks.add(l);
        t.linksByIncarnation.put(l.incarnation, l);
        t.upByName.put(l.name, l);
        announceNow = true; // let the newcomer learn about this node at once
        t.notifyListeners(new MembershipEvent.NodeUp(Transport.member(l)));
        LOG.info("Node {} sees node {} up", t.name, l);
    }

    /**
     * Other nodes declared this incarnation down: stop heartbeating and treat every peer as gone.
     */
    private void evict(String reason) {
        evicted = true;
        LOG.error(
                "Node {} (incarnation {}) was declared down by the cluster ({}): it no longer reaches other nodes. Restart the"
                        + " process to rejoin as a new incarnation.",
                t.name,
                Long.toHexString(t.incarnation),
                reason);
        for (NodeLink l : new ArrayList<>(upLinks)) {
            down(l, MembershipEvent.Reason.UNRESPONSIVE, "this node was declared down: " + reason);
        }
        t.notifyListeners(
                new MembershipEvent.NodeDown(
                        new io.troupe.remote.Member(
                                t.name,
                                t.incarnation,
                                ProcessHandle.current().pid(),
                                java.time.Instant.ofEpochMilli(t.startedAtMillis)),
                        MembershipEvent.Reason.UNRESPONSIVE,
                        "this node was declared down: " + reason));
    }

    private void down(NodeLink l, MembershipEvent.Reason reason, String detail) {
        l.downReason = reason.name().toLowerCase() + ": " + detail;
        upLinks.remove(l);
        t.upByName.remove(l.name, l);
        t.outbound.failAll(l);
        Publication pub = l.publication;
        if (pub != null) {
            pub.close();
        }
        chunks.forget(l.incarnation);
        t.watches.nodeDown(l.incarnation);
        AddressTerminatedTopic.get(t.classic).publish(new AddressTerminated(l.address));
        tombstone(l.incarnation);
        // Refs that cached this link still see why it is down; everyone else finds the incarnation
        // gone.
        links.remove(l.incarnation);
        t.linksByIncarnation.remove(l.incarnation, l);
        t.notifyListeners(new MembershipEvent.NodeDown(Transport.member(l), reason, detail));
        LOG.info("Node {} sees node {} down: {}", t.name, l.name, l.downReason);
    }

    private void tombstone(long incarnation) {
        tombstones.add(incarnation);
        if (tombstones.size() > TOMBSTONES) {
            tombstones.remove(tombstones.iterator().next());
        }
    }

    // ---- inbound stream ----

    private void onFrame(DirectBuffer buffer, int offset, int length, Header header) {
        t.counters.add(NodeCounters.Kind.BYTES_RECEIVED, length);
        if (length < Wire.HEADER_LENGTH) {
            reject(
                    "a "
                            + length
                            + "-byte frame, shorter than the "
                            + Wire.HEADER_LENGTH
                            + "-byte header",
                    false);
            return;
        }
        if (Wire.version(buffer, offset) != Wire.VERSION) {
            reject(
                    "a frame of wire version "
                            + Wire.version(buffer, offset)
                            + " (this node speaks "
                            + Wire.VERSION
                            + ")",
                    false);
            return;
        }
        long target = Wire.target(buffer, offset);
        if (target != t.incarnation) {
            reject(
                    "a frame for incarnation "
                            + Long.toHexString(target)
                            + " of this node name (this is "
                            + Long.toHexString(t.incarnation)
                            + "): a stale ref to an earlier run",
                    false);
            return;
        }
        long sender = Wire.sender(buffer, offset);
        NodeLink from = links.get(sender);
        if (from == null || !from.isUp()) {
            reject(
                    "a frame from "
                            + (from == null
                                    ? "unknown node incarnation " + Long.toHexString(sender)
                                    : "node " + from),
                    false);
            return;
        }
        byte type = Wire.type(buffer, offset);
        int exportId = Wire.exportId(buffer, offset);
        int bodyOffset = offset + Wire.HEADER_LENGTH;
        int bodyLength = length - Wire.HEADER_LENGTH;
        switch (type) {
            case Wire.DATA ->
                    deliver(from, exportId, copy(buffer, bodyOffset, bodyLength), 0, bodyLength);
            case Wire.CONTROL ->
                    onControl(from, copy(buffer, bodyOffset, bodyLength), 0, bodyLength);
            case Wire.BATCH -> onBatch(from, copy(buffer, bodyOffset, bodyLength), bodyLength);
            case Wire.CHUNK -> {
                ChunkAssembler.Result r = chunks.onChunk(sender, buffer, bodyOffset, bodyLength);
                if (r.rejection() != null) {
                    reject(r.rejection() + " from node " + from.name, false);
                } else if (r.message() != null) {
                    deliver(from, exportId, r.message(), 0, r.message().length);
                }
            }
            default -> reject("a frame of unknown type " + type + " from node " + from.name, false);
        }
    }

    /**
     * The records of a BATCH frame, in order. A malformed record (unknown type, a length past the
     * frame's end) rejects it and the rest of the frame: the records before it were delivered.
     */
    private void onBatch(NodeLink from, byte[] bytes, int length) {
        scratchView.wrap(bytes, 0, length);
        int off = 0;
        int delivered = 0;
        while (off < length) {
            if (length - off < Wire.RECORD_HEADER_LENGTH) {
                reject(
                        "a batch from node "
                                + from.name
                                + " that ends inside a record header ("
                                + (length - off)
                                + " bytes left after "
                                + delivered
                                + " records)",
                        false);
                return;
            }
            byte type = bytes[off + Wire.RECORD_TYPE_OFFSET];
            int exportId = scratchView.getInt(off + Wire.RECORD_EXPORT_ID_OFFSET);
            int len = scratchView.getInt(off + Wire.RECORD_LENGTH_OFFSET);
            int payload = off + Wire.RECORD_HEADER_LENGTH;
            if (len < 0 || len > length - payload) {
                reject(
                        "a batch from node "
                                + from.name
                                + " whose record "
                                + delivered
                                + " claims "
                                + len
                                + " bytes where "
                                + (length - payload)
                                + " are left",
                        false);
                return;
            }
            if (type == Wire.DATA) {
                deliver(from, exportId, bytes, payload, len);
            } else if (type == Wire.CONTROL) {
                onControl(from, bytes, payload, len);
            } else {
                reject(
                        "a batch from node "
                                + from.name
                                + " whose record "
                                + delivered
                                + " has type "
                                + type
                                + " (only DATA and CONTROL records are batched)",
                        false);
                return;
            }
            off = payload + len;
            delivered++;
        }
    }

    private void deliver(NodeLink from, int exportId, byte[] bytes, int offset, int length) {
        Object message;
        try {
            message = t.codec.decode(bytes, offset, length);
        } catch (CodecException e) {
            reject(
                    "a message from node "
                            + from.name
                            + " for actor #"
                            + exportId
                            + " that does not decode: "
                            + e.getMessage(),
                    true);
            return;
        }
        t.counters.increment(NodeCounters.Kind.MESSAGES_RECEIVED);
        ActorRef target = t.exports.get(exportId);
        if (target == null) {
            t.deadLetters.drop(
                    message,
                    "no actor #"
                            + exportId
                            + " on node "
                            + t.name
                            + " (it stopped, or was never exported)",
                    null,
                    null);
            return;
        }
        target.tell(message, ActorRef.noSender());
        if (Exports.isTemporary(target)) {
            t.exports.remove(
                    target); // an ask's reply ref takes one reply; it need not stay exported
            return;
        }
        if (mailboxLimit > 0) {
            CountedMailbox.CountedQueue counted = countedQueue(target);
            if (counted != null) {
                long waiting = counted.size(); // O(1): checked on every message
                if (waiting > mailboxLimit) {
                    pause(target, counted, waiting);
                }
                return;
            }
            int n = deliveriesSinceCheck.get(exportId) + 1;
            deliveriesSinceCheck.put(exportId, n);
            // Without the counted mailbox, counting walks the queue (O(n) in Akka's own mailboxes):
            // at most
            // once per millisecond, and only for an actor that took MAILBOX_CHECK_EVERY messages
            // since its last check.
            long now;
            if (n >= MAILBOX_CHECK_EVERY && (now = System.nanoTime()) - nextMailboxCheck >= 0) {
                nextMailboxCheck = now + RESUME_CHECK_NANOS;
                deliveriesSinceCheck.remove(exportId);
                warnUncountedOnce(target);
                int waiting = mailboxSize(target);
                if (waiting > mailboxLimit) {
                    pause(target, null, waiting);
                }
            }
        }
    }

    private void pause(ActorRef target, CountedMailbox.CountedQueue counted, long waiting) {
        pausedOn = target;
        pausedQueue = counted;
        nextResumeCheck = System.nanoTime() + RESUME_CHECK_NANOS;
        t.counters.increment(NodeCounters.Kind.INBOUND_PAUSES);
        pauses.warn(
                "Node {} pauses reading its inbound stream: {}",
                t.name,
                target.path()
                        + " has "
                        + waiting
                        + " messages waiting (troupe.remote.inbound-mailbox-limit = "
                        + mailboxLimit
                        + "); senders are pushed back until it is down to half");
    }

    /** While paused on a full mailbox: resume once it is down to half (or the actor is gone). */
    private boolean resumeIfDrained(long now) {
        if (pausedQueue != null) {
            if (pausedQueue.size() > mailboxLimit / 2 && !pausedOn.isTerminated()) {
                return false;
            }
        } else {
            if (now - nextResumeCheck < 0) {
                return false;
            }
            nextResumeCheck = now + RESUME_CHECK_NANOS;
            if (mailboxSize(pausedOn) > mailboxLimit / 2) {
                return false;
            }
        }
        pausedOn = null;
        pausedQueue = null;
        return true;
    }

    /**
     * The counted queue of a local actor, or null if it has another mailbox (or is not started
     * yet).
     */
    private static CountedMailbox.CountedQueue countedQueue(ActorRef ref) {
        if (ref instanceof akka.actor.ActorRefWithCell withCell
                && withCell.underlying() instanceof akka.actor.ActorCell cell
                && cell.mailbox().messageQueue() instanceof CountedMailbox.CountedQueue q) {
            return q;
        }
        return null;
    }

    /**
     * At start-up: a class path that hides troupe-remote's mailbox defaults (e.g. a shaded jar with
     * Akka's reference.conf last).
     */
    private static void warnIfDefaultMailboxesUncounted(
            String node, com.typesafe.config.Config config) {
        String counted = CountedMailbox.class.getName();
        List<String> uncounted = new ArrayList<>();
        for (String key :
                List.of(
                        "akka.actor.typed.default-mailbox.mailbox-type",
                        "akka.actor.default-mailbox.mailbox-type")) {
            String value = config.hasPath(key) ? config.getString(key) : "";
            if (!value.equals(counted)) {
                uncounted.add(key + " = \"" + value + "\"");
            }
        }
        if (!uncounted.isEmpty()) {
            LOG.warn(
                    "Node {}: {}, not \"{}\", so troupe.remote.inbound-mailbox-limit must walk actors' mailboxes (O(n), at most"
                            + " once per millisecond) and may let them overshoot the limit between checks. Usually Akka's reference.conf"
                            + " came after troupe-remote's (a shaded jar appends them in dependency order; the last wins): set the key(s)"
                            + " to \"{}\" in application.conf.",
                    node,
                    String.join(" and ", uncounted),
                    counted,
                    counted);
        }
    }

    /** Once per node: the first actor whose mailbox has to be walked is named, with the fix. */
    private void warnUncountedOnce(ActorRef target) {
        if (warnedUncounted
                || !(target instanceof akka.actor.ActorRefWithCell withCell)
                || !(withCell.underlying() instanceof akka.actor.ActorCell cell)) {
            return; // an actor not started yet has no mailbox to name: ask again at its next check
        }
        warnedUncounted = true;
        LOG.warn(
                "Node {}: {} receives remote messages but its mailbox ({}) is not {}, so troupe.remote.inbound-mailbox-limit"
                        + " can only measure it by walking it (O(n)), at most once per millisecond, and it may overshoot the limit"
                        + " between checks. Give it the counted mailbox: set akka.actor.typed.default-mailbox.mailbox-type and"
                        + " akka.actor.default-mailbox.mailbox-type = \"{}\" in application.conf (akka jars ahead of troupe-remote"
                        + " on the class path hide troupe-remote's defaults), or spawn it with MailboxSelector.fromConfig(\"troupe.remote.counted-mailbox\"). This is"
                        + " said once per node.",
                t.name,
                target.path(),
                cell.mailbox().messageQueue().getClass().getName(),
                CountedMailbox.class.getName(),
                CountedMailbox.class.getName());
    }

    /**
     * Messages waiting in a local actor's mailbox (O(n) in Akka's own mailboxes: call it
     * sparingly).
     */
    private static int mailboxSize(ActorRef ref) {
        return ref instanceof akka.actor.ActorRefWithCell withCell
                ? withCell.underlying().numberOfMessages()
                : 0;
    }

    private void onControl(NodeLink from, byte[] bytes, int offset, int length) {
        Object message;
        try {
            message = t.codec.decode(bytes, offset, length);
        } catch (CodecException e) {
            reject(
                    "a control frame from node "
                            + from.name
                            + " that does not decode: "
                            + e.getMessage(),
                    true);
            return;
        }
        if (message instanceof Control.Lookup lookup) {
            ActorRef ref = t.published.get(lookup.name());
            int id = ref == null ? 0 : t.exports.export(ref);
            List<String> names =
                    id != 0 ? List.of() : t.published.keySet().stream().sorted().limit(50).toList();
            t.sendControl(
                    from, new Control.LookupReply(lookup.requestId(), lookup.name(), id, names));
        } else if (message instanceof Control.LookupReply reply) {
            t.lookups.onReply(from.incarnation, reply);
        } else if (message instanceof Control.Watch w) {
            if (t.exports.get(w.exportId()) == null) {
                t.sendControl(from, new Control.WatcheeTerminated(w.exportId(), false));
            } else {
                t.watches.watchedBy(w.exportId(), from.incarnation);
            }
        } else if (message instanceof Control.Unwatch u) {
            t.watches.unwatchedBy(u.exportId(), from.incarnation);
        } else if (message instanceof Control.Spawn spawn) {
            long requestId = spawn.requestId();
            t.onSpawnRequest(
                    spawn.kind(),
                    spawn.actorName(),
                    spawn.countLoad(),
                    result ->
                            t.sendControl(
                                    from,
                                    result instanceof ActorRef ref
                                            ? new Control.SpawnReply(
                                                    requestId, t.exports.export(ref), "")
                                            : new Control.SpawnReply(
                                                    requestId, 0, String.valueOf(result))));
        } else if (message instanceof Control.SpawnReply reply) {
            t.spawns.onReply(reply, id -> t.remoteRef(from.incarnation, id));
        } else if (message instanceof Control.WatcheeTerminated wt) {
            t.watches.watcheeTerminated(from.incarnation, wt.exportId(), wt.existenceConfirmed());
        } else {
            reject(
                    "a "
                            + message.getClass().getSimpleName()
                            + " control frame from node "
                            + from.name,
                    false);
        }
    }

    /**
     * A handler that turns an unexpected exception into a counted, logged rejection instead of
     * aborting the poll.
     */
    private FragmentHandler guarded(FragmentHandler handler, String what) {
        return (buffer, offset, length, header) -> {
            try {
                handler.onFragment(buffer, offset, length, header);
            } catch (RuntimeException e) {
                reject(
                        "a " + length + "-byte " + what + " whose handling failed (" + e + ")",
                        false);
            }
        };
    }

    /**
     * A {@link ControlledFragmentAssembler} that frees a publisher session's reassembly buffer once
     * the session's image is gone. The assembler keeps one buffer per session that ever sent a
     * fragmented message (at least as large as its largest message) until told to free it; every
     * peer restart, and every publication another process opens, is a new session, so without this
     * the heap grows with each (measured: 24 gone sessions of one 2 MiB frame each held 100 MB).
     * Only fragmented messages are tracked: the small-message path costs one flag test.
     */
    private static final class Reassembler implements ControlledFragmentHandler {
        private final ControlledFragmentAssembler assembler;
        private final org.agrona.collections.IntHashSet sessions =
                new org.agrona.collections.IntHashSet(); // may hold a buffer

        Reassembler(ControlledFragmentHandler delegate) {
            this.assembler = new ControlledFragmentAssembler(delegate);
        }

        @Override
        public Action onFragment(DirectBuffer buffer, int offset, int length, Header header) {
            if ((header.flags() & io.aeron.logbuffer.FrameDescriptor.UNFRAGMENTED)
                    != io.aeron.logbuffer.FrameDescriptor.UNFRAGMENTED) {
                sessions.add(header.sessionId());
            }
            return assembler.onFragment(buffer, offset, length, header);
        }

        void freeGoneSessions(io.aeron.Subscription subscription) {
            if (sessions.isEmpty()) {
                return;
            }
            for (org.agrona.collections.IntHashSet.IntIterator it = sessions.iterator();
                    it.hasNext(); ) {
                int session = it.nextValue();
                if (subscription.imageBySessionId(session) == null) {
                    assembler.freeSessionBuffer(session);
                    it.remove();
                }
            }
        }
    }

    /** Copies a fragment into the agent's scratch array (the codec reads byte arrays). */
    private byte[] copy(DirectBuffer buffer, int offset, int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        buffer.getBytes(offset, scratch, 0, length);
        return scratch;
    }

    private void reject(String what, boolean decodeFailure) {
        t.counters.increment(
                decodeFailure
                        ? NodeCounters.Kind.DECODE_FAILURES
                        : NodeCounters.Kind.REJECTED_FRAMES);
        rejections.warn("Node {} rejected {}", t.name, what);
    }

    @Override
    public void onClose() {
        discovered.countDown();
    }
}
