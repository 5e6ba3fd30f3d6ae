package io.troupe.examples.iobound;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.time.Duration;
import java.util.Objects;

/**
 * Makes one blocking call, a sleep standing in for a network round trip, replies, and stops.
 * Blocking inside an actor holds its dispatcher thread for the whole call: spawn fetchers on a
 * dispatcher meant for it ({@code DispatcherPreset.BLOCKING_IO} or {@code VIRTUAL_THREADS}).
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class Fetcher extends AbstractBehavior<Fetcher.Command> {

    /** What a fetcher understands. */
    public sealed interface Command permits Fetch {}

    /** Makes a blocking call that takes {@code latency}. */
    public record Fetch(Duration latency, ActorRef<Fetched> replyTo) implements Command {
        public Fetch {
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must be >= 0, was " + latency);
            }
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** The call returned; {@code thread} is the name of the thread that waited for it. */
    public record Fetched(String thread) {
        public Fetched {
            Objects.requireNonNull(thread, "thread");
        }
    }

    private Fetcher(ActorContext<Command> context) {
        super(context);
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(Fetcher::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder().onMessage(Fetch.class, this::onFetch).build();
    }

    private Behavior<Command> onFetch(Fetch fetch) {
        try {
            Thread.sleep(fetch.latency().toMillis()); // the blocking call
        } catch (InterruptedException e) {
            Thread.currentThread()
                    .interrupt(); // the system is shutting down: stop without replying
            return Behaviors.stopped();
        }
        fetch.replyTo().tell(new Fetched(Thread.currentThread().getName()));
        return Behaviors.stopped();
    }
}
