package io.troupe.remote.internal;

import akka.actor.ActorRef;
import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import io.troupe.remote.ActorKind;
import io.troupe.remote.RemoteException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Remote spawn. Hosting side: kinds registered on this node, and a spawner system actor that starts
 * the requested actors as its children (so supervision happens here, by Akka's rules) and exports
 * them. Requesting side: spawns waiting for their reply, failed after a timeout.
 *
 * <p>Thread safety: {@link #register}, {@link #start} and {@link #spawnHere} from any thread;
 * {@link #onReply} and {@link #tick} on the transport thread. Futures complete on {@code
 * completer}.
 */
final class Spawns {
    /** A request for the spawner actor; local only, never serialized. */
    record Request(ActorKind<?> kind, String actorName, boolean countLoad, Consumer<Object> reply)
            implements NoSerializationVerificationNeeded {}

    private record Pending(
            String node,
            String kind,
            long deadlineNanos,
            Duration timeout,
            CompletableFuture<ActorRef> future) {}

    private final Map<String, ActorKind<?>> kinds = new ConcurrentHashMap<>();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Executor completer;

    Spawns(Executor completer) {
        this.completer = completer;
    }

    void register(ActorKind<?> kind) {
        ActorKind<?> previous = kinds.putIfAbsent(kind.name(), kind);
        if (previous != null && previous != kind && !previous.protocol().equals(kind.protocol())) {
            throw new RemoteException(
                    "Actor kind '"
                            + kind.name()
                            + "' is already registered with protocol "
                            + previous.protocol().getName()
                            + ": give the new kind another name");
        }
    }

    ActorKind<?> kind(String name) {
        return kinds.get(name);
    }

    String knownKinds() {
        return kinds.isEmpty() ? "none" : String.join(", ", new TreeSet<>(kinds.keySet()));
    }

    /** The spawner's behavior: spawns each requested child, replies with its ref or the error. */
    static Behavior<Request> spawner() {
        return Behaviors.setup(
                ctx ->
                        Behaviors.receive(Request.class)
                                .onMessage(
                                        Request.class,
                                        r -> {
                                            try {
                                                @SuppressWarnings("unchecked")
                                                ActorKind<Object> kind =
                                                        (ActorKind<Object>) r.kind();
                                                Behavior<Object> behavior = kind.factory().get();
                                                if (r.countLoad()) {
                                                    behavior = LoadCounting.wrap(behavior);
                                                }
                                                akka.actor.typed.ActorRef<Object> child =
                                                        r.actorName() == null
                                                                        || r.actorName().isEmpty()
                                                                ? ctx.spawnAnonymous(behavior)
                                                                : ctx.spawn(
                                                                        behavior, r.actorName());
                                                r.reply().accept(Adapter.toClassic(child));
                                            } catch (RuntimeException e) {
                                                r.reply()
                                                        .accept(
                                                                "cannot spawn '"
                                                                        + r.actorName()
                                                                        + "' of kind '"
                                                                        + r.kind().name()
                                                                        + "' on this node: "
                                                                        + e.getMessage());
                                            }
                                            return Behaviors.same();
                                        })
                                .build());
    }

    long start(String node, String kind, Duration timeout, CompletableFuture<ActorRef> future) {
        long id = ids.incrementAndGet();
        pending.put(
                id,
                new Pending(node, kind, System.nanoTime() + timeout.toNanos(), timeout, future));
        return id;
    }

    void fail(long requestId, String why) {
        Pending p = pending.remove(requestId);
        if (p != null) {
            completer.execute(() -> p.future.completeExceptionally(new RemoteException(why)));
        }
    }

    void onReply(Control.SpawnReply reply, IntFunction<ActorRef> refOf) {
        Pending p = pending.remove(reply.requestId());
        if (p == null) {
            return;
        }
        if (reply.exportId() == 0) {
            String why =
                    "Spawning an actor of kind '"
                            + p.kind
                            + "' on node '"
                            + p.node
                            + "' failed: "
                            + reply.error();
            completer.execute(() -> p.future.completeExceptionally(new RemoteException(why)));
        } else {
            ActorRef ref = refOf.apply(reply.exportId());
            completer.execute(() -> p.future.complete(ref));
        }
    }

    int tick(long nowNanos) {
        int work = 0;
        for (Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<Long, Pending> e = it.next();
            Pending p = e.getValue();
            if (nowNanos - p.deadlineNanos >= 0) {
                it.remove();
                String why =
                        "Spawning an actor of kind '"
                                + p.kind
                                + "' on node '"
                                + p.node
                                + "' got no answer within "
                                + p.timeout.toMillis()
                                + " ms (is the node up and responsive?)";
                completer.execute(() -> p.future.completeExceptionally(new RemoteException(why)));
                work++;
            }
        }
        return work;
    }

    void failAll(String why) {
        for (Pending p : pending.values()) {
            completer.execute(() -> p.future.completeExceptionally(new RemoteException(why)));
        }
        pending.clear();
    }
}
