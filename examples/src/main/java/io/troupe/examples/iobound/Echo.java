package io.troupe.examples.iobound;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.Objects;

/**
 * Answers every ping at once: an innocent bystander on the default dispatcher, whose reply time
 * shows whether blocking calls have taken all that dispatcher's threads.
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class Echo extends AbstractBehavior<Echo.Command> {

    /** What an echo understands. */
    public sealed interface Command permits Ping {}

    /** Replies {@link Pong#INSTANCE}. */
    public record Ping(ActorRef<Pong> replyTo) implements Command {
        public Ping {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** The reply to {@link Ping}. */
    public enum Pong {
        INSTANCE
    }

    private Echo(ActorContext<Command> context) {
        super(context);
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(Echo::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder().onMessage(Ping.class, this::onPing).build();
    }

    private Behavior<Command> onPing(Ping ping) {
        ping.replyTo().tell(Pong.INSTANCE);
        return this;
    }
}
