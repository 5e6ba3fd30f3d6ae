package io.troupe.examples.pingpong;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.troupe.remote.ActorKind;
import java.util.Objects;

/**
 * Answers every {@link Ping} at once with a {@link Pong} of the same number. It runs in a worker
 * process, spawned there by {@link #KIND}; the pings come from the other process.
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class Ponger extends AbstractBehavior<Ponger.Command> {

    /**
     * What {@code ProcessPool.spawn} starts on a worker; {@link PingPongSetup} registers it there.
     */
    public static final ActorKind<Command> KIND =
            ActorKind.of("ponger", Command.class, Ponger::create);

    /** What a ponger understands. */
    public sealed interface Command permits Ping {}

    /** Answered with {@code Pong(seq)} to {@code replyTo}. */
    public record Ping(long seq, ActorRef<Pong> replyTo) implements Command {
        public Ping {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /**
     * The reply to {@link Ping}. It is also a {@link Pinger.Command}, so that a pinger can take its
     * replies without an ask.
     */
    public record Pong(long seq) implements Pinger.Command {}

    private Ponger(ActorContext<Command> context) {
        super(context);
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(Ponger::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder().onMessage(Ping.class, this::onPing).build();
    }

    private Behavior<Command> onPing(Ping ping) {
        ping.replyTo().tell(new Pong(ping.seq()));
        return this;
    }
}
