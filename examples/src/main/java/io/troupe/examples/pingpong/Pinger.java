package io.troupe.examples.pingpong;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.Objects;

/**
 * Keeps a window of pings in flight to a ponger with plain tells (no ask, so no temporary actor per
 * message) and sends the next ping as each pong comes back, until every pong has arrived: how many
 * round trips per second two processes sustain when neither waits for the other.
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class Pinger extends AbstractBehavior<Pinger.Command> {

    /** What a pinger understands. */
    public sealed interface Command permits Run, Ponger.Pong {}

    /** Makes {@code total} round trips to {@code ponger}, {@code window} at a time. */
    public record Run(
            int total, int window, ActorRef<Ponger.Command> ponger, ActorRef<Finished> replyTo)
            implements Command {
        public Run {
            if (total < 1 || window < 1) {
                throw new IllegalArgumentException(
                        "total and window must be >= 1, were " + total + " and " + window);
            }
            Objects.requireNonNull(ponger, "ponger");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** The reply to {@link Run}: every pong arrived, {@code outOfOrder} of them out of order. */
    public record Finished(int roundTrips, long elapsedNanos, int outOfOrder) {}

    private Run run;
    private long startNanos;
    private int nextSeq;
    private int received;
    private int outOfOrder;

    private Pinger(ActorContext<Command> context) {
        super(context);
    }

    /**
     * @return an idle pinger, waiting for a {@link Run}
     */
    public static Behavior<Command> create() {
        return Behaviors.setup(Pinger::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Run.class, this::onRun)
                .onMessage(Ponger.Pong.class, this::onPong)
                .build();
    }

    private Behavior<Command> onRun(Run newRun) {
        if (run != null) {
            throw new IllegalStateException("a pinger makes one run at a time");
        }
        run = newRun;
        startNanos = System.nanoTime();
        nextSeq = 0;
        received = 0;
        outOfOrder = 0;
        while (nextSeq < Math.min(run.window(), run.total())) {
            ping();
        }
        return this;
    }

    private Behavior<Command> onPong(Ponger.Pong pong) {
        if (pong.seq() != received) {
            outOfOrder++; // one ponger answers in order what one pinger sent in order
        }
        received++;
        if (nextSeq < run.total()) {
            ping();
        }
        if (received == run.total()) {
            run.replyTo().tell(new Finished(received, System.nanoTime() - startNanos, outOfOrder));
            run = null;
        }
        return this;
    }

    private void ping() {
        run.ponger().tell(new Ponger.Ping(nextSeq++, getContext().getSelf().narrow()));
    }
}
