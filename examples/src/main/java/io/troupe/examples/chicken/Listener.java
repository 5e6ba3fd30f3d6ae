package io.troupe.examples.chicken;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.troupe.remote.ActorKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Hears words one message at a time and, when told the sentence is finished, replies with the words
 * in the order they arrived. Akka delivers the messages of one sender to one receiver in the order
 * they were sent, so that is the speaker's order.
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class Listener extends AbstractBehavior<Listener.Command> {

    /**
     * What {@code ProcessPool.spawn} starts in a worker for {@code --processes 2}; {@link
     * ChickenSetup} registers it there.
     */
    public static final ActorKind<Command> KIND =
            ActorKind.of("chicken-listener", Command.class, Listener::create);

    /** What a listener understands. */
    public sealed interface Command permits Hear, Finish {}

    /** One word of the sentence. */
    public record Hear(String word) implements Command {
        public Hear {
            Objects.requireNonNull(word, "word");
        }
    }

    /** The sentence is over: reply with what was heard, and start listening afresh. */
    public record Finish(ActorRef<Heard> replyTo) implements Command {
        public Finish {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** The words heard since the last {@link Finish}, in arrival order. */
    public record Heard(List<String> words) {
        public Heard {
            words = List.copyOf(words);
        }
    }

    private final List<String> heard = new ArrayList<>();

    private Listener(ActorContext<Command> context) {
        super(context);
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(Listener::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Hear.class, this::onHear)
                .onMessage(Finish.class, this::onFinish)
                .build();
    }

    private Behavior<Command> onHear(Hear hear) {
        heard.add(hear.word());
        return this;
    }

    private Behavior<Command> onFinish(Finish finish) {
        finish.replyTo().tell(new Heard(heard));
        heard.clear();
        return this;
    }
}
