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
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Remote spawn. Hosting side: kinds registered on this node, and a spawner system actor that starts
 * the requested actors as its children (so supervision happens here, by Akka's rules) and exports
 * them. Requesting side: spawns waiting for their reply, failed after a timeout.
 *
 * <p>Every spawn finishes: answered, timed out by {@link #tick}, or failed by {@link #close} (which
 * also fails every later {@link #start} at once).
 *
 * <p>Thread safety: {@link #register}, {@link #start}, {@link #fail} and {@link #close} from any
 * thread; {@link #onReply} and {@link #tick} on the transport thread. Futures complete through
 * {@link Completions}.
 */
final class Spawns {
    /** A request for the spawner actor; local only, never serialized. */
    record Request(ActorKind<?> kind, String actorName, boolean countLoad, Consumer<Object> reply)
            implements NoSerializationVerificationNeeded {}

    /**
     * A spawned actor, for the reply: its ref, its kind's protocol, and whether load is counted.
     */
    record Spawned(ActorRef ref, Class<?> protocol, boolean countLoad) {}

    private record Pending(
            String node,
            String kind,
            Class<?> protocol,
            long deadlineNanos,
            Duration timeout,
            CompletableFuture<ActorRef> future) {}

    private final Map<String, ActorKind<?>> kinds = new ConcurrentHashMap<>();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Completions completions;
    private final String node;
    private volatile String closedBecause;
    private akka.actor.typed.ActorRef<Request> spawner;

    Spawns(String node, Completions completions) {
        this.node = node;
        this.completions = completions;
    }

    /** Starts the spawner as a system actor named {@code name}, and returns it. */
    akka.actor.typed.ActorRef<Request> start(akka.actor.typed.ActorSystem<?> system, String name) {
        spawner = system.systemActorOf(spawner(), name, akka.actor.typed.Props.empty());
        return spawner;
    }

    /**
     * Spawns a registered kind on this node; {@code reply} gets the classic ref (and the kind, to
     * export it for its protocol) or an error text. Any thread.
     */
    void host(String kindName, String actorName, boolean countLoad, Consumer<Object> reply) {
        ActorKind<?> kind = kinds.get(kindName);
        if (kind == null) {
            reply.accept(
                    "no actor kind '"
                            + kindName
                            + "' is registered on node "
                            + node
                            + " (registered: "
                            + knownKinds()
                            + "); register it there with RemoteNode.registerKind, e.g. in the pool's WorkerSetup");
            return;
        }
        spawner.tell(new Request(kind, actorName, countLoad, reply));
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
                                                r.reply()
                                                        .accept(
                                                                new Spawned(
                                                                        Adapter.toClassic(child),
                                                                        kind.protocol(),
                                                                        r.countLoad()));
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

    long start(
            String node,
            String kind,
            Class<?> protocol,
            Duration timeout,
            CompletableFuture<ActorRef> future) {
        long id = ids.incrementAndGet();
        pending.put(
                id,
                new Pending(
                        node,
                        kind,
                        protocol,
                        System.nanoTime() + timeout.toNanos(),
                        timeout,
                        future));
        String why = closedBecause;
        if (why != null) {
            fail(id, failure(kind, node, why)); // closed meanwhile: nothing will tick any more
        }
        return id;
    }

    static String failure(String kind, String node, String why) {
        return "Spawning an actor of kind '" + kind + "' on node '" + node + "' failed: " + why;
    }

    void fail(long requestId, String why) {
        Pending p = pending.remove(requestId);
        if (p != null) {
            completions.fail(p.future, new RemoteException(why));
        }
    }

    void onReply(Control.SpawnReply reply, BiFunction<Integer, Class<?>, ActorRef> refOf) {
        Pending p = pending.remove(reply.requestId());
        if (p == null) {
            return;
        }
        if (reply.exportId() == 0) {
            completions.fail(p.future, new RemoteException(failure(p.kind, p.node, reply.error())));
        } else {
            completions.complete(p.future, refOf.apply(reply.exportId(), p.protocol));
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
                                + " ms (troupe.remote.spawn-timeout): is the node up and responsive?";
                completions.fail(p.future, new RemoteException(why));
                work++;
            }
        }
        return work;
    }

    /** Fails every spawn waiting and every later one with {@code why}. */
    void close(String why) {
        closedBecause = why;
        for (Long id : List.copyOf(pending.keySet())) {
            Pending p = pending.get(id);
            if (p != null) {
                fail(id, failure(p.kind, p.node, why));
            }
        }
    }
}
