package io.troupe.remote.internal;

import akka.actor.ActorRef;
import io.troupe.core.TroupeException;
import io.troupe.remote.RemoteSettings.Unsendable;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages refused at the sender: not registered, not immutable, over a codec limit, or not in the
 * protocol of the ref's actor. Each is counted ({@code refused-at-sender}) and dead-lettered with
 * the reason; the first refusal of each message class and kind is logged at ERROR with the fix (the
 * rest at DEBUG); and with {@code troupe.remote.unsendable = "throw"} the error is then thrown to
 * the caller of {@code tell}.
 *
 * <p>Thread safety: thread-safe (called on any sending thread).
 */
final class Refusals {
    private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);
    private static final int LOGGED_KINDS = 1024;

    private final String node;
    private final Unsendable policy;
    private final NodeCounters counters;
    private final DeadLetters deadLetters;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    Refusals(String node, Unsendable policy, NodeCounters counters, DeadLetters deadLetters) {
        this.node = node;
        this.policy = policy;
        this.counters = counters;
        this.deadLetters = deadLetters;
    }

    /**
     * Refuses {@code message}: counts, dead-letters and logs it, and throws {@code error} if the
     * policy says so.
     */
    void refuse(Object message, TroupeException error, ActorRef sender, ActorRef recipient) {
        counters.increment(NodeCounters.Kind.REFUSED_AT_SENDER);
        String reason = "refused at the sender (node '" + node + "'): " + error.getMessage();
        deadLetters.drop(
                message, NodeCounters.Kind.DEAD_LETTERS_REFUSED, reason, sender, recipient);
        String kind = message.getClass().getName() + "/" + error.getClass().getName();
        if (logged.size() < LOGGED_KINDS && logged.add(kind)) {
            LOG.error(
                    "Node {} cannot send a {} to {}: {} (later refusals of this kind are logged at"
                            + " DEBUG; all are counted as refused-at-sender and go to dead letters)",
                    node,
                    message.getClass().getName(),
                    recipient,
                    error.getMessage());
        } else {
            LOG.debug("Node {} refused a {}: {}", node, message.getClass().getName(), reason);
        }
        if (policy == Unsendable.THROW) {
            throw error;
        }
    }
}
