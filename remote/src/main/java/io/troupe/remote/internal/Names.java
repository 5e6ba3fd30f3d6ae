package io.troupe.remote.internal;

import akka.actor.ActorRef;
import io.troupe.remote.RemoteException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names this node publishes its actors under, and the answers to other nodes' lookups. A
 * published actor is exported for its protocol, so messages of other types never reach it.
 *
 * <p>Thread safety: thread-safe; {@link #answer} runs on the transport thread.
 */
final class Names {
    private final String node;
    private final Exports exports;
    private final ConcurrentHashMap<String, ActorRef> published = new ConcurrentHashMap<>();

    Names(String node, Exports exports) {
        this.node = node;
        this.exports = exports;
    }

    /**
     * Publishes {@code ref} as {@code name} for messages of {@code protocol} (null: any registered
     * message).
     */
    void publish(String name, ActorRef ref, Class<?> protocol) {
        if (ref instanceof RemoteActorRef) {
            throw new RemoteException(
                    "Cannot publish '"
                            + name
                            + "': "
                            + ref
                            + " lives on another node; publish actors on the node where they live");
        }
        ActorRef previous = published.putIfAbsent(name, ref);
        if (previous != null && !previous.equals(ref)) {
            throw new RemoteException(
                    "The name '"
                            + name
                            + "' is already published on node "
                            + node
                            + " by "
                            + previous
                            + ": unpublish it first, or choose another name");
        }
        exports.export(ref, protocol);
        exports.published(ref, name);
    }

    boolean unpublish(String name) {
        return published.remove(name) != null;
    }

    /** The local actor published as {@code name}, or null. */
    ActorRef get(String name) {
        return published.get(name);
    }

    /** The answer to a lookup of {@code name}: its export id, or 0 and some published names. */
    Control.LookupReply answer(long requestId, String name) {
        ActorRef ref = published.get(name);
        Exports.Entry e = ref == null ? null : exports.entryOf(ref);
        int id = e == null ? 0 : e.id; // none: the actor stopped since it was published
        List<String> names =
                id != 0 ? List.of() : published.keySet().stream().sorted().limit(50).toList();
        return new Control.LookupReply(requestId, name, id, names);
    }
}
