package io.troupe.examples.dining;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.Objects;

/**
 * A fork on the table, as an actor with two states: on the table, and in someone's hand. Asked for
 * while in a hand, it says no at once rather than making the asker wait, which is what keeps the
 * dinner free of deadlock (see {@link Philosopher}).
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class Fork {

    /** What a fork understands. */
    public sealed interface Command permits Take, Put {}

    /** Picks the fork up if it is on the table; the answer goes to {@code replyTo}. */
    public record Take(ActorRef<Reply> replyTo) implements Command {
        public Take {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** Puts the fork back; only its holder ({@code replyTo} of the granted {@link Take}) may. */
    public record Put(ActorRef<Reply> replyTo) implements Command {
        public Put {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** The answer to {@link Take}. */
    public sealed interface Reply permits Taken, Refused {}

    /** The fork is now in the asker's hand. */
    public record Taken(ActorRef<Command> fork) implements Reply {
        public Taken {
            Objects.requireNonNull(fork, "fork");
        }
    }

    /** Someone else holds the fork. */
    public record Refused(ActorRef<Command> fork) implements Reply {
        public Refused {
            Objects.requireNonNull(fork, "fork");
        }
    }

    private final ActorContext<Command> context;

    private Fork(ActorContext<Command> context) {
        this.context = context;
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(context -> new Fork(context).onTable());
    }

    private Behavior<Command> onTable() {
        return Behaviors.receive(Command.class)
                .onMessage(Take.class, this::onTakeFromTable)
                .onMessage(Put.class, this::onPutOnTable)
                .build();
    }

    private Behavior<Command> inHandOf(ActorRef<Reply> holder) {
        return Behaviors.receive(Command.class)
                .onMessage(Take.class, this::onTakeFromHand)
                .onMessage(Put.class, put -> onPutFromHand(put, holder))
                .build();
    }

    private Behavior<Command> onTakeFromTable(Take take) {
        take.replyTo().tell(new Taken(context.getSelf()));
        return inHandOf(take.replyTo());
    }

    private Behavior<Command> onPutOnTable(Put put) {
        context.getLog().warn("{} put back a fork that was already on the table", put.replyTo());
        return Behaviors.same();
    }

    private Behavior<Command> onTakeFromHand(Take take) {
        take.replyTo().tell(new Refused(context.getSelf()));
        return Behaviors.same();
    }

    private Behavior<Command> onPutFromHand(Put put, ActorRef<Reply> holder) {
        if (!put.replyTo().equals(holder)) {
            context.getLog().warn("{} tried to put back a fork held by {}", put.replyTo(), holder);
            return Behaviors.same();
        }
        return onTable();
    }
}
