package io.troupe.remote.internal;

import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.actor.Dropped;

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

    /**
     * Dead-letters {@code message}, counted in total and under {@code kind} (one of the {@code
     * DEAD_LETTERS_*} counters), with {@code reason} for the people reading the log.
     */
    void drop(
            Object message,
            NodeCounters.Kind kind,
            String reason,
            ActorRef sender,
            ActorRef recipient) {
        counters.increment(NodeCounters.Kind.DEAD_LETTERS);
        counters.increment(kind);
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
}
