package io.troupe.remote.internal;

import io.troupe.remote.RemoteException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lookups of published names. A lookup asks the node again every {@link #RETRY_NANOS} until it
 * answers with an export id or the lookup times out, so it succeeds when a node that is starting,
 * or the name, appears while the lookup waits. It fails at once, saying why, when the answer is
 * already known: the node is known to be down, this node is closed or lost its media driver.
 *
 * <p>Thread safety: {@link #start} and {@link #close} from any thread; {@link #tick} and {@link
 * #onReply} on the transport thread. Futures complete through {@link Completions}, never on the
 * transport thread.
 */
final class Lookups {
    static final long RETRY_NANOS = Duration.ofMillis(200).toNanos();

    /** How lookups reach the nodes. */
    interface Resolver {
        /**
         * Asks {@code node} for {@code name}; false if no such node is up. For this node itself,
         * answers at once through {@link #onReply}. Transport thread.
         */
        boolean ask(String node, long requestId, String name);

        /** "up: a, b" or "no other node is up". Any thread. */
        String describeMembers();

        /** Why {@code node} is known to be down, or null. Any thread. */
        String knownDown(String node);
    }

    private static final class Pending {
        final long id;
        final String node;
        final String name;
        final long deadlineNanos;
        final Duration timeout;
        final CompletableFuture<Handle> future;
        long nextAskNanos;
        boolean nodeSeen;
        List<String> lastPublished;

        Pending(long id, String node, String name, Duration timeout, CompletableFuture<Handle> f) {
            this.id = id;
            this.node = node;
            this.name = name;
            this.timeout = timeout;
            this.deadlineNanos = System.nanoTime() + timeout.toNanos();
            this.future = f;
        }
    }

    /** What a successful lookup yields: the node's incarnation and the actor's export id. */
    record Handle(long incarnation, int exportId) {}

    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentLinkedQueue<Pending> incoming = new ConcurrentLinkedQueue<>();
    private final Map<Long, Pending> pending = new HashMap<>();
    private final Completions completions;
    private final Resolver resolver;
    private volatile String closedBecause;

    Lookups(Completions completions, Resolver resolver) {
        this.completions = completions;
        this.resolver = resolver;
    }

    CompletableFuture<Handle> start(String node, String name, Duration timeout) {
        CompletableFuture<Handle> f = new CompletableFuture<>();
        String down = resolver.knownDown(node);
        if (down != null) {
            completions.fail(
                    f,
                    new RemoteException(
                            "Lookup of '"
                                    + name
                                    + "' on node '"
                                    + node
                                    + "' failed at once: that node is down ("
                                    + down
                                    + "; "
                                    + resolver.describeMembers()
                                    + "). Look it up again once a new process of that node has"
                                    + " joined, or subscribe to membership events to learn when."));
            return f;
        }
        incoming.offer(new Pending(ids.incrementAndGet(), node, name, timeout, f));
        String why = closedBecause;
        if (why != null) {
            failIncoming(why); // closed meanwhile: nothing will tick any more
        }
        return f;
    }

    /** Retries and times out lookups. Transport thread. */
    int tick(long nowNanos) {
        int work = 0;
        Pending p;
        while ((p = incoming.poll()) != null) {
            pending.put(p.id, p);
            work++;
        }
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending l = it.next();
            if (l.future.isDone()) {
                it.remove();
            } else if (nowNanos - l.deadlineNanos >= 0) {
                it.remove();
                timedOut(l);
                work++;
            } else if (nowNanos - l.nextAskNanos >= 0) {
                l.nextAskNanos = nowNanos + RETRY_NANOS;
                l.nodeSeen |= resolver.ask(l.node, l.id, l.name);
                work++;
            }
        }
        return work;
    }

    /** A node answered (or this node, for a lookup of its own name). Transport thread. */
    void onReply(long incarnation, Control.LookupReply reply) {
        Pending l = pending.get(reply.requestId());
        if (l == null) {
            return; // answered twice, or already timed out
        }
        if (reply.exportId() == 0) {
            l.lastPublished = reply.published();
            return; // not published (yet): ask again until the deadline
        }
        pending.remove(reply.requestId());
        completions.complete(l.future, new Handle(incarnation, reply.exportId()));
    }

    /**
     * Fails every lookup waiting and every later one with {@code why} (the node closed, or lost its
     * driver). Any thread; the transport thread must not tick concurrently with a close.
     */
    void close(String why) {
        closedBecause = why;
        failIncoming(why);
        for (Pending l : pending.values()) {
            completions.fail(l.future, new RemoteException(failure(l, why)));
        }
        pending.clear();
    }

    private void failIncoming(String why) {
        Pending p;
        while ((p = incoming.poll()) != null) {
            completions.fail(p.future, new RemoteException(failure(p, why)));
        }
    }

    private static String failure(Pending l, String why) {
        return "Lookup of '" + l.name + "' on node '" + l.node + "' failed: " + why;
    }

    private void timedOut(Pending l) {
        String why;
        if (!l.nodeSeen) {
            why =
                    "Lookup of '"
                            + l.name
                            + "' on node '"
                            + l.node
                            + "' timed out after "
                            + l.timeout.toMillis()
                            + " ms: no node named '"
                            + l.node
                            + "' is up in this cluster ("
                            + resolver.describeMembers()
                            + "). Check the node name, that the node"
                            + " started with the same troupe.remote.cluster-name and aeron-dir, or raise troupe.remote.lookup-timeout.";
        } else {
            why =
                    "Lookup of '"
                            + l.name
                            + "' on node '"
                            + l.node
                            + "' timed out after "
                            + l.timeout.toMillis()
                            + " ms: node '"
                            + l.node
                            + "' is up but has not published '"
                            + l.name
                            + "'"
                            + (l.lastPublished == null
                                    ? ""
                                    : " (it publishes " + l.lastPublished + ")")
                            + ". Publish it there with RemoteNode.publish(\""
                            + l.name
                            + "\", ref, protocol), or check the name.";
        }
        completions.fail(l.future, new RemoteException(why));
    }
}
