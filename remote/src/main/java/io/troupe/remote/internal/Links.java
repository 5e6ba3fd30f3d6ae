package io.troupe.remote.internal;

import io.troupe.remote.Member;
import io.troupe.remote.MembershipEvent;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.agrona.CloseHelper;

/**
 * The registry of links to the other nodes: the only owner of which links exist, which are up, and
 * of every state transition. A link is {@link #add added} up and taken {@link #down} once; in that
 * one step it is marked down, its outbound queue closed, it leaves every index, its publication is
 * closed, and then the {@link Listener} reacts (dead-letters what waited, tells watchers and
 * subscribers). Nothing else changes link state, so up/down and queue closing follow one rule.
 *
 * <p>Down incarnations are remembered as tombstones (so a late heartbeat from one is refused) and
 * down names with their reason (so a lookup of a node known to be down fails at once, saying why).
 *
 * <p>Thread safety: {@link #get}, {@link #upByName}, {@link #upMembers}, {@link #describeUp} and
 * {@link #downDescription} from any thread; everything else on the transport thread only (or on the
 * closing thread after the transport thread stopped).
 */
final class Links {
    /** Reactions to a link going down, run on the transport thread after its state changed. */
    interface Listener {
        void onDown(NodeLink link, MembershipEvent.Reason reason, String detail);
    }

    private static final int TOMBSTONES = 4096;
    private static final int DOWN_NAMES = 1024;

    private final ConcurrentHashMap<Long, NodeLink> byIncarnation = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, NodeLink> upByName = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> downNames = new ConcurrentHashMap<>();
    private final LinkedHashSet<Long> tombstones = new LinkedHashSet<>();
    private final Map<String, Long> downNameOrder = new LinkedHashMap<>();
    private NodeLink[] up = new NodeLink[0];
    private final Listener listener;

    Links(Listener listener) {
        this.listener = listener;
    }

    /** The link to a node incarnation, up or just gone down; null if unknown. Any thread. */
    NodeLink get(long incarnation) {
        return byIncarnation.get(incarnation);
    }

    /** The up link of a node name, or null. Any thread. */
    NodeLink upByName(String name) {
        return upByName.get(name);
    }

    /** The nodes up now. Any thread. */
    List<Member> upMembers() {
        return upByName.values().stream().filter(NodeLink::isUp).map(l -> l.member).toList();
    }

    /** "up: a, b" or "no other node is up", for error messages. Any thread. */
    String describeUp() {
        return upByName.isEmpty()
                ? "no other node is up"
                : "up: " + upByName.keySet().stream().sorted().collect(Collectors.joining(", "));
    }

    /**
     * Why a node name is known to be down ("left at 20:31:02.125: it left the cluster"), or null if
     * it is up or was never seen. Any thread.
     */
    String downDescription(String name) {
        return upByName.containsKey(name) ? null : downNames.get(name);
    }

    /** The links up now, for the duty cycle to iterate without allocating. Transport thread. */
    NodeLink[] up() {
        return up;
    }

    boolean isTombstoned(long incarnation) {
        return tombstones.contains(incarnation);
    }

    /** Refuses an incarnation from now on (its heartbeats are ignored). Transport thread. */
    void tombstone(long incarnation) {
        tombstones.add(incarnation);
        if (tombstones.size() > TOMBSTONES) {
            tombstones.remove(tombstones.iterator().next());
        }
    }

    /** A new node incarnation joined: its link is up from now on. Transport thread. */
    void add(NodeLink link) {
        byIncarnation.put(link.incarnation, link);
        upByName.put(link.name, link);
        downNames.remove(link.name);
        downNameOrder.remove(link.name);
        up = Arrays.copyOf(up, up.length + 1);
        up[up.length - 1] = link;
    }

    /**
     * Takes a link down for good: the one place where a link changes state. Does nothing if it is
     * already down. Transport thread (or the closing thread once the transport thread stopped).
     */
    void down(NodeLink link, MembershipEvent.Reason reason, String detail) {
        if (!link.isUp()) {
            return;
        }
        link.markDown(reason.name().toLowerCase() + ": " + detail);
        byIncarnation.remove(link.incarnation, link);
        upByName.remove(link.name, link);
        List<NodeLink> rest = new ArrayList<>(up.length);
        for (NodeLink l : up) {
            if (l != link) {
                rest.add(l);
            }
        }
        up = rest.toArray(new NodeLink[0]);
        tombstone(link.incarnation);
        rememberDown(link.name, reason, detail);
        listener.onDown(link, reason, detail);
        link.offerLock.lock(); // not under a sender's offer
        try {
            CloseHelper.quietClose(link.publication);
        } finally {
            link.offerLock.unlock();
        }
    }

    /** Takes every up link down with the same reason. */
    void downAll(MembershipEvent.Reason reason, String detail) {
        for (NodeLink l : up) {
            down(l, reason, detail);
        }
    }

    private void rememberDown(String name, MembershipEvent.Reason reason, String detail) {
        downNames.put(
                name,
                reason.name().toLowerCase()
                        + " at "
                        + LocalTime.now().truncatedTo(ChronoUnit.MILLIS)
                        + ": "
                        + detail);
        downNameOrder.put(name, 0L);
        if (downNameOrder.size() > DOWN_NAMES) {
            String oldest = downNameOrder.keySet().iterator().next();
            downNameOrder.remove(oldest);
            downNames.remove(oldest);
        }
    }
}
