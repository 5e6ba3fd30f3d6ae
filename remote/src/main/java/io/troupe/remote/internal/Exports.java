package io.troupe.remote.internal;

import akka.actor.ActorRef;
import akka.actor.InternalActorRef;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * This node's local actors that other nodes may address: each gets an export id the first time a
 * ref to it leaves the process (as a published name or inside a message). Ids are never reused
 * within one incarnation, so a frame for a stopped actor finds nothing rather than a newer actor.
 * An entry is removed when its actor terminates (the {@code onExport} hook starts a watch). The
 * short-lived reply refs of asks (Akka's temporary refs) are not watched, which would cost a system
 * message and a Terminated per ask: they leave when their one reply is delivered, or when {@link
 * #sweepTemporary} finds them completed (timed out) without one.
 *
 * <p>Thread safety: thread-safe; {@link #export} is called on any encoding thread, {@link #get} on
 * the transport thread.
 */
final class Exports {
    private final ConcurrentHashMap<ActorRef, Integer> idsByRef = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, ActorRef> refsById = new ConcurrentHashMap<>();
    private final AtomicInteger lastId = new AtomicInteger();
    private final Consumer<ActorRef> onExport;
    private final ConcurrentLinkedQueue<ActorRef> temporary = new ConcurrentLinkedQueue<>();

    Exports(Consumer<ActorRef> onExport) {
        this.onExport = onExport;
    }

    int export(ActorRef ref) {
        Integer id = idsByRef.get(ref);
        if (id != null) {
            return id;
        }
        boolean[] created = new boolean[1];
        id =
                idsByRef.computeIfAbsent(
                        ref,
                        r -> {
                            int next = lastId.incrementAndGet();
                            refsById.put(next, r);
                            created[0] = true;
                            return next;
                        });
        if (created[0]) {
            if (isTemporary(ref)) {
                temporary.offer(ref);
            } else {
                onExport.accept(ref);
            }
        }
        return id;
    }

    ActorRef get(int id) {
        return refsById.get(id);
    }

    /**
     * @return the id the ref had, or 0
     */
    int remove(ActorRef ref) {
        Integer id = idsByRef.remove(ref);
        if (id == null) {
            return 0;
        }
        refsById.remove(id);
        return id;
    }

    static boolean isTemporary(ActorRef ref) {
        return InternalActorRef.isTemporaryRef(ref);
    }

    /**
     * Removes temporary refs that completed without a reply (e.g. the ask timed out). Transport
     * thread.
     */
    void sweepTemporary() {
        for (Iterator<ActorRef> it = temporary.iterator(); it.hasNext(); ) {
            ActorRef ref = it.next();
            if (!idsByRef.containsKey(ref)) {
                it.remove(); // already removed when its reply was delivered
            } else if (ref.isTerminated()) {
                remove(ref);
                it.remove();
            }
        }
    }

    int size() {
        return refsById.size();
    }
}
