package io.troupe.remote.internal;

import akka.actor.typed.ActorRef;
import java.util.List;
import java.util.Objects;

/**
 * Messages between nodes themselves, encoded with the same codec as user messages (so they get the
 * same limits and checks on the way in).
 *
 * <p>Thread safety: immutable records.
 */
sealed interface Control
        permits Control.Heartbeat,
                Control.Leave,
                Control.Lookup,
                Control.LookupReply,
                Control.Watch,
                Control.Unwatch,
                Control.WatcheeTerminated,
                Control.Spawn,
                Control.SpawnReply,
                Control.LoadQuery,
                Control.LoadReport,
                Control.Downed {

    /** Published on the membership stream every heartbeat interval; the first one is the join. */
    record Heartbeat(
            String cluster,
            String node,
            long incarnation,
            long pid,
            int streamId,
            long startedAtEpochMillis,
            String artery)
            implements Control {
        public Heartbeat {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(artery, "artery");
        }
    }

    /** Published on the membership stream when a node shuts down cleanly. */
    record Leave(String node, long incarnation) implements Control {
        public Leave {
            Objects.requireNonNull(node, "node");
        }
    }

    /** Asks a node for the export id of the actor it published under {@code name}. */
    record Lookup(long requestId, String name) implements Control {
        public Lookup {
            Objects.requireNonNull(name, "name");
        }
    }

    /** {@code exportId} 0: not published; {@code published} then lists what is. */
    record LookupReply(long requestId, String name, int exportId, List<String> published)
            implements Control {
        public LookupReply {
            Objects.requireNonNull(name, "name");
            published = List.copyOf(published);
        }
    }

    /** A node watches one of the receiver's exported actors. */
    record Watch(int exportId) implements Control {}

    record Unwatch(int exportId) implements Control {}

    /** An exported actor that the receiving node watches has stopped (or never existed). */
    record WatcheeTerminated(int exportId, boolean existenceConfirmed) implements Control {}

    /** Asks a node to spawn an actor of a registered kind. */
    record Spawn(long requestId, String kind, String actorName, boolean countLoad)
            implements Control {
        public Spawn {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(actorName, "actorName");
        }
    }

    /** {@code exportId} 0: failed, and {@code error} says why. */
    record SpawnReply(long requestId, int exportId, String error) implements Control {
        public SpawnReply {
            Objects.requireNonNull(error, "error");
        }
    }

    /** Asks a load-counting routee how many messages it has taken so far. */
    record LoadQuery(ActorRef<LoadReport> replyTo) implements Control {
        public LoadQuery {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    record LoadReport(ActorRef<Object> routee, long taken) implements Control {
        public LoadReport {
            Objects.requireNonNull(routee, "routee");
        }
    }

    /**
     * Published on the membership stream when a node hears from an incarnation it has declared down
     * (e.g. a process resumed after SIGSTOP): that incarnation must leave, and its process rejoin
     * as a new incarnation if it wants back in.
     */
    record Downed(String node, long incarnation, String reason) implements Control {
        public Downed {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
