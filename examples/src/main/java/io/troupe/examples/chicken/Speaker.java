package io.troupe.examples.chicken;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.List;
import java.util.Objects;

/**
 * Says a sentence to a {@link Listener}, one word per message, then tells it the sentence is
 * finished. Before each word it does a little work of random length, as each racing thread does, so
 * the only difference from the threads is that the words are messages from one actor to another.
 *
 * <p>The listener is any {@code ActorRef}: in this process, or (with Troupe's remote module) in
 * another one; the order guarantee is the same.
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class Speaker extends AbstractBehavior<Speaker.Command> {

    /** What a speaker understands. */
    public sealed interface Command permits Say {}

    /**
     * Says {@code words} to {@code listener}; the listener replies to {@code replyTo} with what it
     * heard.
     */
    public record Say(
            List<String> words,
            int jitterMicros,
            ActorRef<Listener.Command> listener,
            ActorRef<Listener.Heard> replyTo)
            implements Command {
        public Say {
            words = List.copyOf(words);
            if (jitterMicros < 0) {
                throw new IllegalArgumentException(
                        "jitterMicros must be >= 0, was " + jitterMicros);
            }
            Objects.requireNonNull(listener, "listener");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    private Speaker(ActorContext<Command> context) {
        super(context);
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(Speaker::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder().onMessage(Say.class, this::onSay).build();
    }

    private Behavior<Command> onSay(Say say) {
        for (String word : say.words()) {
            Jitter.work(say.jitterMicros());
            say.listener().tell(new Listener.Hear(word));
        }
        say.listener().tell(new Listener.Finish(say.replyTo()));
        return this;
    }
}
