package io.troupe.remote.internal;

import akka.actor.ActorCell;
import akka.actor.ActorRef;
import akka.actor.ActorRefWithCell;
import com.typesafe.config.Config;
import io.troupe.core.dispatch.CountedMailbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.Int2IntHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of back-pressure: when a local actor that remote nodes send to has more than
 * {@code troupe.remote.inbound-mailbox-limit} messages waiting, the gate closes and the node stops
 * reading its inbound stream until that mailbox is down to half, so the senders' streams fill and
 * push back instead of the mailbox growing with the heap.
 *
 * <p>The size is read in O(1) from Troupe's {@link CountedMailbox} on every message; an actor with
 * another mailbox is measured by walking its queue (O(n)), at most once per millisecond and only
 * after {@link #MAILBOX_CHECK_EVERY} messages to it, and the node warns once naming it.
 *
 * <p>Thread safety: transport thread only.
 */
final class InboundGate {
    private static final Logger LOG = LoggerFactory.getLogger(InboundGate.class);
    private static final int MAILBOX_CHECK_EVERY = 256;
    private static final long RESUME_CHECK_NANOS = Duration.ofMillis(1).toNanos();

    private final String node;
    private final int limit;
    private final NodeCounters counters;
    private final Int2IntHashMap deliveriesSinceCheck = new Int2IntHashMap(0);
    private final RateLimitedLog pauses = new RateLimitedLog(LOG, Duration.ofSeconds(5));
    private ActorRef pausedOn;
    private CountedMailbox.CountedQueue pausedQueue; // pausedOn's queue when counted
    private boolean warnedUncounted;
    private long nextResumeCheck;
    private long nextMailboxCheck;

    InboundGate(String node, int limit, NodeCounters counters, Config config) {
        this.node = node;
        this.limit = limit;
        this.counters = counters;
        if (limit > 0) {
            warnIfDefaultMailboxesUncounted(node, config);
        }
    }

    /** Whether the inbound stream may be read now: not paused, or the paused mailbox drained. */
    boolean isOpen(long now) {
        return pausedOn == null || resumeIfDrained(now);
    }

    /** Whether the last delivery closed the gate (a poll stops after that frame). */
    boolean isPaused() {
        return pausedOn != null;
    }

    /** Measures {@code target}'s mailbox after a delivery to it, and closes the gate if full. */
    void delivered(ActorRef target, int exportId) {
        if (limit <= 0) {
            return;
        }
        CountedMailbox.CountedQueue counted = countedQueue(target);
        if (counted != null) {
            long waiting = counted.size(); // O(1): checked on every message
            if (waiting > limit) {
                pause(target, counted, waiting);
            }
            return;
        }
        int n = deliveriesSinceCheck.get(exportId) + 1;
        deliveriesSinceCheck.put(exportId, n);
        // Without the counted mailbox, counting walks the queue (O(n) in Akka's own mailboxes): at
        // most once per millisecond, and only for an actor that took MAILBOX_CHECK_EVERY messages
        // since its last check.
        long now;
        if (n >= MAILBOX_CHECK_EVERY && (now = System.nanoTime()) - nextMailboxCheck >= 0) {
            nextMailboxCheck = now + RESUME_CHECK_NANOS;
            deliveriesSinceCheck.remove(exportId);
            warnUncountedOnce(target);
            int waiting = mailboxSize(target);
            if (waiting > limit) {
                pause(target, null, waiting);
            }
        }
    }

    /** On the transport's timer: short-lived reply actors come and go, their counts restart. */
    void tick() {
        if (deliveriesSinceCheck.size() > 4096) {
            deliveriesSinceCheck.clear();
        }
    }

    private void pause(ActorRef target, CountedMailbox.CountedQueue counted, long waiting) {
        pausedOn = target;
        pausedQueue = counted;
        nextResumeCheck = System.nanoTime() + RESUME_CHECK_NANOS;
        counters.increment(NodeCounters.Kind.INBOUND_PAUSES);
        pauses.warn(
                "Node {} pauses reading its inbound stream: {}",
                node,
                target.path()
                        + " has "
                        + waiting
                        + " messages waiting (troupe.remote.inbound-mailbox-limit = "
                        + limit
                        + "); senders are pushed back until it is down to half");
    }

    private boolean resumeIfDrained(long now) {
        if (pausedQueue != null) {
            if (pausedQueue.size() > limit / 2 && !pausedOn.isTerminated()) {
                return false;
            }
        } else {
            if (now - nextResumeCheck < 0) {
                return false;
            }
            nextResumeCheck = now + RESUME_CHECK_NANOS;
            if (mailboxSize(pausedOn) > limit / 2) {
                return false;
            }
        }
        pausedOn = null;
        pausedQueue = null;
        return true;
    }

    /**
     * The counted queue of a local actor, or null if it has another mailbox (or is not started).
     */
    private static CountedMailbox.CountedQueue countedQueue(ActorRef ref) {
        if (ref instanceof ActorRefWithCell withCell
                && withCell.underlying() instanceof ActorCell cell
                && cell.mailbox().messageQueue() instanceof CountedMailbox.CountedQueue q) {
            return q;
        }
        return null;
    }

    /** Messages waiting in a local actor's mailbox (O(n) in Akka's own mailboxes). */
    private static int mailboxSize(ActorRef ref) {
        return ref instanceof ActorRefWithCell withCell
                ? withCell.underlying().numberOfMessages()
                : 0;
    }

    /** At start-up: a class path that hides troupe-remote's mailbox defaults. */
    private static void warnIfDefaultMailboxesUncounted(String node, Config config) {
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
                || !(target instanceof ActorRefWithCell withCell)
                || !(withCell.underlying() instanceof ActorCell cell)) {
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
                node,
                target.path(),
                cell.mailbox().messageQueue().getClass().getName(),
                CountedMailbox.class.getName(),
                CountedMailbox.class.getName());
    }
}
