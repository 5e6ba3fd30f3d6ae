package io.troupe.remote.internal;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Lookups across machines (cluster mode): every node runs this actor at {@code
 * /system/troupe-names}, and a node on another machine asks it over Artery for a published name.
 * The answer names the actor by its Troupe identity (incarnation, export id, home path), not as an
 * {@code ActorRef} component, so that the asker builds the ref with the protocol it looked up and
 * the actor's export keeps the protocol it was published for.
 *
 * <p>Thread safety: an actor; the messages are immutable.
 */
public final class ClusterNames {
    /** The actor's name under {@code /system}. */
    public static final String NAME = "troupe-names";

    private ClusterNames() {}

    /** What the names actor takes. */
    public sealed interface Protocol permits Query {}

    /** Which actor is published as {@code name} on this node? */
    public record Query(String name, ActorRef<Answer> replyTo) implements Protocol {
        public Query {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** The names actor's answers. */
    public sealed interface Answer permits Found, Missing {}

    /** Published as asked: the actor's Troupe identity. */
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

    /** The names actor, answering from whichever transport is current (it outlives a rejoin). */
    public static Behavior<Protocol> behavior(Supplier<Transport> transport) {
        return Behaviors.receive(Protocol.class)
                .onMessage(
                        Query.class,
                        q -> {
                            q.replyTo().tell(transport.get().clusterAnswer(q.name()));
                            return Behaviors.same();
                        })
                .build();
    }
}
