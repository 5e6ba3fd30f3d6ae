package io.troupe.examples.wordcount;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.troupe.remote.ActorKind;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The reduce step: adds up the shares of counts the mappers send it, one per chunk, and hands over
 * the sum once it has every share. The job asks for the sum; since that request and the shares come
 * from different senders, which arrives first is not defined, so the request says how many shares
 * to wait for.
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class Reducer extends AbstractBehavior<Reducer.Command> {

    /** What {@code ProcessPool.spawn} starts on a worker; {@link WordCountSetup} registers it. */
    public static final ActorKind<Command> KIND =
            ActorKind.of("word-reducer", Command.class, Reducer::create);

    /** What a reducer understands. */
    public sealed interface Command permits Add, Collect {}

    /** One chunk's counts of the words that belong to this reducer. */
    public record Add(int chunk, Map<String, Long> counts) implements Command {
        public Add {
            counts = Map.copyOf(counts);
        }
    }

    /** Replies {@link Reduced} once {@code shares} shares have been added. */
    public record Collect(int shares, ActorRef<Reduced> replyTo) implements Command {
        public Collect {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** The reply to {@link Collect}: this reducer's words with their total counts. */
    public record Reduced(Map<String, Long> counts) {
        public Reduced {
            counts = Map.copyOf(counts);
        }
    }

    private final Map<String, Long> counts = new HashMap<>();
    private int shares;
    private Collect collect;

    private Reducer(ActorContext<Command> context) {
        super(context);
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(Reducer::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Add.class, this::onAdd)
                .onMessage(Collect.class, this::onCollect)
                .build();
    }

    private Behavior<Command> onAdd(Add add) {
        add.counts().forEach((word, n) -> counts.merge(word, n, Long::sum));
        shares++;
        return replyIfComplete();
    }

    private Behavior<Command> onCollect(Collect newCollect) {
        collect = newCollect;
        return replyIfComplete();
    }

    private Behavior<Command> replyIfComplete() {
        if (collect != null && shares >= collect.shares()) {
            collect.replyTo().tell(new Reduced(counts));
            collect = null;
        }
        return this;
    }
}
