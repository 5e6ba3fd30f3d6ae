package io.troupe.remote.internal;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The protocol of the hostile-input tests' target actors. It has no message that stops an actor, so
 * garbage that happens to decode can never take the actor that serves the real traffic away.
 */
final class FrameProtocol {
    private FrameProtocol() {}

    sealed interface Msg permits Ping, Note {}

    /** Answered by {@link #echo} with a {@link Pong}. */
    record Ping(int seq, ActorRef<Pong> replyTo) implements Msg {}

    record Pong(int seq, String node) {}

    /** Carries values of several shapes, so decoded garbage exercises more of the codec. */
    record Note(String text, List<Long> values, Optional<Instant> at, Map<String, Integer> tags)
            implements Msg {
        Note {
            values = List.copyOf(values);
            tags = Map.copyOf(tags);
        }
    }

    /**
     * Replies to pings with the node's name; shows every message it gets to {@code seen} (if not
     * null).
     */
    static Behavior<Msg> echo(String node, ActorRef<Msg> seen) {
        return Behaviors.receive(Msg.class)
                .onMessage(
                        Msg.class,
                        m -> {
                            if (seen != null) {
                                seen.tell(m);
                            }
                            if (m instanceof Ping p && p.replyTo() != null) {
                                p.replyTo().tell(new Pong(p.seq(), node));
                            }
                            return Behaviors.same();
                        })
                .build();
    }
}
