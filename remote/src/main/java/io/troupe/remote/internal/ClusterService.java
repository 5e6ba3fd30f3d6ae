package io.troupe.remote.internal;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a node serves to nodes on other machines (cluster mode), over Artery, at {@code
 * /system/troupe-service}: who it is (its Troupe identity, for membership events), which actor it
 * publishes under a name (lookups), and actors of a registered kind (remote spawn). Answers name an
 * actor by its Troupe identity (incarnation, export id, home path), not as an {@code ActorRef}
 * component, so that the asker builds the ref with the protocol it asked for and the actor's export
 * keeps the protocol it was published (or spawned) for.
 *
 * <p>Thread safety: an actor; the messages are immutable. It answers from whichever transport is
 * current, so it outlives a rejoin.
 */
public final class ClusterService {
    /** The actor's name under {@code /system}. */
    public static final String NAME = "troupe-service";

    private ClusterService() {}

    /** What the service takes. */
    public sealed interface Protocol permits Query, Identify, Spawn {}

    /** Which actor is published as {@code name} on this node? */
    public record Query(String name, ActorRef<Answer> replyTo) implements Protocol {
        public Query {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** Who is this node (name, incarnation, pid, start)? */
    public record Identify(ActorRef<Answer> replyTo) implements Protocol {
        public Identify {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** Spawn an actor of the registered kind {@code kind} ({@code actorName} "": a fresh name). */
    public record Spawn(String kind, String actorName, ActorRef<Answer> replyTo)
            implements Protocol {
        public Spawn {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(actorName, "actorName");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** The service's answers. */
    public sealed interface Answer permits Found, Missing, Identity, Failed {}

    /** Published (or spawned) as asked: the actor's Troupe identity. */
    public record Found(long incarnation, int exportId, String homePath) implements Answer {
        public Found {
            Objects.requireNonNull(homePath, "homePath");
        }
    }

    /**
     * No actor is published as {@code name} on {@code node}; {@code published} are (some) that are.
     */
    public record Missing(String node, String name, List<String> published) implements Answer {
        public Missing {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(name, "name");
            published = List.copyOf(published);
        }
    }

    /** The node's identity. */
    public record Identity(String name, long incarnation, long pid, long startedAtMillis)
            implements Answer {
        public Identity {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A request the node could not serve, and why. */
    public record Failed(String why) implements Answer {
        public Failed {
            Objects.requireNonNull(why, "why");
        }
    }

    /** The service, answering from whichever transport is current (it outlives a rejoin). */
    public static Behavior<Protocol> behavior(Supplier<Transport> transport) {
        return Behaviors.receive(Protocol.class)
                .onMessage(
                        Query.class,
                        q -> {
                            q.replyTo().tell(transport.get().clusterAnswer(q.name()));
                            return Behaviors.same();
                        })
                .onMessage(
                        Identify.class,
                        i -> {
                            i.replyTo().tell(transport.get().clusterIdentity());
                            return Behaviors.same();
                        })
                .onMessage(
                        Spawn.class,
                        s -> {
                            transport.get().spawnForAcross(s.kind(), s.actorName(), s.replyTo());
                            return Behaviors.same();
                        })
                .build();
    }
}
