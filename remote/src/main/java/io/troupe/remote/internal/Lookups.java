package io.troupe.remote.internal;

import io.troupe.remote.RemoteException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lookups of published names on other nodes. A lookup asks the node again every {@link
 * #RETRY_NANOS} until it answers with an export id or the lookup times out, so it succeeds when the
 * node starts, or publishes the name, while the lookup waits.
 *
 * <p>Thread safety: {@link #start} from any thread; everything else on the transport thread.
 * Futures are completed on {@code completer} (an Akka dispatcher), never on the transport thread,
 * so user callbacks cannot stall the transport.
 */
final class Lookups {
    static final long RETRY_NANOS = Duration.ofMillis(200).toNanos();

    interface Resolver {
        /** Sends a lookup to the node if it is up; returns false if the node is not known. */
        boolean ask(String node, long requestId, String name);

        String describeMembers();
    }

    private static final class Pending {
        final long id;
        final String node;
        final String name;
        final long deadlineNanos;
        final Duration timeout;
        final CompletableFuture<RemoteActorRefHandle> future;
        long nextAskNanos;
        boolean nodeSeen;
        List<String> lastPublished;

        Pending(
                long id,
                String node,
                String name,
                Duration timeout,
                CompletableFuture<RemoteActorRefHandle> future) {
            this.id = id;
            this.node = node;
            this.name = name;
            this.timeout = timeout;
            this.deadlineNanos = System.nanoTime() + timeout.toNanos();
            this.future = future;
        }
    }

    /** What a successful lookup yields: the node's incarnation and the actor's export id. */
    record RemoteActorRefHandle(long incarnation, int exportId) {}

    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentLinkedQueue<Pending> incoming = new ConcurrentLinkedQueue<>();
    private final Map<Long, Pending> pending = new HashMap<>();
    private final Executor completer;

    Lookups(Executor completer) {
        this.completer = completer;
    }

    CompletableFuture<RemoteActorRefHandle> start(String node, String name, Duration timeout) {
        CompletableFuture<RemoteActorRefHandle> f = new CompletableFuture<>();
        incoming.offer(new Pending(ids.incrementAndGet(), node, name, timeout, f));
        return f;
    }

    /** Retries and times out lookups. Transport thread. */
    int tick(long nowNanos, Resolver resolver) {
        int work = 0;
        Pending p;
        while ((p = incoming.poll()) != null) {
            pending.put(p.id, p);
            work++;
        }
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending l = it.next();
            if (nowNanos - l.deadlineNanos >= 0) {
                it.remove();
                fail(l, resolver);
                work++;
            } else if (nowNanos - l.nextAskNanos >= 0) {
                l.nodeSeen |= resolver.ask(l.node, l.id, l.name);
                l.nextAskNanos = nowNanos + RETRY_NANOS;
                work++;
            }
        }
        return work;
    }

    /** A node answered. Transport thread. */
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
        RemoteActorRefHandle handle = new RemoteActorRefHandle(incarnation, reply.exportId());
        completer.execute(() -> l.future.complete(handle));
    }

    /** Fails every lookup (the node is shutting down). */
    void failAll(String why) {
        for (Pending l : pending.values()) {
            completer.execute(() -> l.future.completeExceptionally(new RemoteException(why)));
        }
        pending.clear();
    }

    private void fail(Pending l, Resolver resolver) {
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
                            + "\", ref), or check the name.";
        }
        completer.execute(() -> l.future.completeExceptionally(new RemoteException(why)));
    }
}
