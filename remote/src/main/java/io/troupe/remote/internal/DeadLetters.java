package io.troupe.remote.internal;

import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.actor.Dropped;
import java.util.regex.Pattern;

/**
 * Where undeliverable messages go: Akka's event stream as {@link Dropped} (so they are logged like
 * dead letters, with the reason, and tests or monitoring can subscribe), and counters: the total
 * and one per kind of reason ({@code dead-letters.<reason>}), which {@code stat} shows.
 *
 * <p>Thread safety: thread-safe.
 */
final class DeadLetters {
    private final ActorSystem system;
    private final NodeCounters counters;

    DeadLetters(ActorSystem system, NodeCounters counters) {
        this.system = system;
        this.counters = counters;
    }

    void drop(Object message, String reason, ActorRef sender, ActorRef recipient) {
        counters.increment(NodeCounters.Kind.DEAD_LETTERS);
        counters.increment(kindOf(reason));
        if (message instanceof Control) {
            return; // node-to-node traffic: counted, not shown to users as their messages
        }
        ActorRef to = recipient == null ? system.deadLetters() : recipient;
        system.eventStream()
                .publish(
                        sender == null
                                ? Dropped.apply(message, reason, to)
                                : Dropped.apply(message, reason, sender, to));
    }

    /**
     * The per-reason counter of a reason text. The texts are written where the message is dropped
     * (outbound queue, link, inbound agent); their openings are stable and tested here, so the
     * callers need not pass a second, parallel argument.
     */
    static NodeCounters.Kind kindOf(String reason) {
        if (reason.startsWith("node incarnation ")) {
            return NodeCounters.Kind.DEAD_LETTERS_UNKNOWN_NODE;
        } else if (NODE_DOWN.matcher(reason).lookingAt()) {
            return NodeCounters.Kind.DEAD_LETTERS_NODE_DOWN;
        } else if (BACK_PRESSURE_TIMEOUT.matcher(reason).lookingAt()) {
            return NodeCounters.Kind.DEAD_LETTERS_BACK_PRESSURE_TIMEOUT;
        } else if (reason.startsWith("the outbound queue to node ")) {
            return NodeCounters.Kind.DEAD_LETTERS_QUEUE_FULL;
        } else if (reason.startsWith("the stream to node ")) {
            return NodeCounters.Kind.DEAD_LETTERS_STREAM_CLOSED;
        } else if (reason.startsWith("no actor #")) {
            return NodeCounters.Kind.DEAD_LETTERS_NO_SUCH_ACTOR;
        }
        return NodeCounters.Kind.DEAD_LETTERS_OTHER;
    }

    private static final Pattern NODE_DOWN = Pattern.compile("node \\S+ is down");
    private static final Pattern BACK_PRESSURE_TIMEOUT =
            Pattern.compile("node \\S+ did not accept it for ");
}
