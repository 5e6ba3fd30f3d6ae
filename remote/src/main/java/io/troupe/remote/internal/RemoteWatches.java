package io.troupe.remote.internal;

import akka.actor.ActorRef;
import akka.actor.InternalActorRef;
import akka.dispatch.sysmsg.DeathWatchNotification;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Remote death watch bookkeeping, both ways.
 *
 * <ul>
 *   <li>Watching out: local watchers of each remote actor. The first watcher makes this node send
 *       {@link Control.Watch}; a {@link Control.WatcheeTerminated} back becomes a {@code
 *       DeathWatchNotification} to each watcher, which Akka turns into {@code Terminated}.
 *   <li>Watched from outside: which nodes watch each of this node's exported actors.
 * </ul>
 *
 * A node that goes down is handled by Akka itself: the transport publishes {@code
 * AddressTerminated} for its address, and every watcher of a ref there gets {@code Terminated}.
 *
 * <p>Thread safety: transport thread only.
 */
final class RemoteWatches {
    private record Key(long incarnation, int exportId) {}

    private final Map<Key, Set<InternalActorRef>> watchers = new HashMap<>();
    private final Map<Key, RemoteActorRef> watched = new HashMap<>();
    private final Map<Integer, Set<Long>> watchedBy = new HashMap<>();

    /**
     * @return true if this is the first local watcher, so the remote node must be told
     */
    boolean addWatcher(RemoteActorRef ref, InternalActorRef watcher) {
        Key k = new Key(ref.incarnation(), ref.exportId());
        watched.putIfAbsent(k, ref);
        Set<InternalActorRef> set = watchers.computeIfAbsent(k, x -> new HashSet<>());
        return set.add(watcher) && set.size() == 1;
    }

    /**
     * @return true if that was the last local watcher, so the remote node can forget it
     */
    boolean removeWatcher(RemoteActorRef ref, ActorRef watcher) {
        Key k = new Key(ref.incarnation(), ref.exportId());
        Set<InternalActorRef> set = watchers.get(k);
        if (set == null || !set.remove(watcher)) {
            return false;
        }
        if (set.isEmpty()) {
            watchers.remove(k);
            watched.remove(k);
            return true;
        }
        return false;
    }

    /** The remote actor stopped: notify its local watchers. */
    void watcheeTerminated(long incarnation, int exportId, boolean existenceConfirmed) {
        Key k = new Key(incarnation, exportId);
        Set<InternalActorRef> set = watchers.remove(k);
        RemoteActorRef ref = watched.remove(k);
        if (set == null || ref == null) {
            return;
        }
        for (InternalActorRef w : set) {
            w.sendSystemMessage(new DeathWatchNotification(ref, existenceConfirmed, false));
        }
    }

    void watchedBy(int exportId, long watcherIncarnation) {
        watchedBy.computeIfAbsent(exportId, x -> new HashSet<>()).add(watcherIncarnation);
    }

    void unwatchedBy(int exportId, long watcherIncarnation) {
        Set<Long> set = watchedBy.get(exportId);
        if (set != null && set.remove(watcherIncarnation) && set.isEmpty()) {
            watchedBy.remove(exportId);
        }
    }

    /** An exported actor stopped: the nodes to tell. */
    Set<Long> exportTerminated(int exportId) {
        Set<Long> set = watchedBy.remove(exportId);
        return set == null ? Set.of() : set;
    }

    /** A node went down: forget what it watched here and what was watched there. */
    void nodeDown(long incarnation) {
        watchers.keySet().removeIf(k -> k.incarnation == incarnation);
        watched.keySet().removeIf(k -> k.incarnation == incarnation);
        watchedBy.values().forEach(s -> s.remove(incarnation));
        watchedBy.values().removeIf(Set::isEmpty);
    }
}
