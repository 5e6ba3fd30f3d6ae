package io.troupe.examples.pipeline;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.Objects;

/**
 * The source: elements 0..total-1, each carrying its own number, sent only as fast as the step
 * below asks for them. It could send them all at once; every time it has elements left but no
 * demand, it waits, and counts the wait.
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class Producer extends AbstractBehavior<Producer.Command> {

    /** What a producer understands. */
    public sealed interface Command permits Flow.Upstream, Connect, GetStats {}

    /** Sends to {@code downstream}, as it asks. */
    public record Connect(ActorRef<Flow.Downstream> downstream) implements Command {
        public Connect {
            Objects.requireNonNull(downstream, "downstream");
        }
    }

    /** Replies {@link Stats}. */
    public record GetStats(ActorRef<Stats> replyTo) implements Command {
        public GetStats {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** How many elements were sent, and how often the producer had to wait for demand. */
    public record Stats(long produced, long demandWaits) {}

    private final long total;
    private ActorRef<Flow.Downstream> downstream;
    private long demand;
    private long next;
    private long demandWaits;
    private boolean completed;

    private Producer(ActorContext<Command> context, long total) {
        super(context);
        this.total = total;
    }

    /**
     * @param total how many elements to produce
     */
    public static Behavior<Command> create(long total) {
        return Behaviors.setup(context -> new Producer(context, total));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Connect.class, this::onConnect)
                .onMessage(Flow.Request.class, this::onRequest)
                .onMessage(GetStats.class, this::onGetStats)
                .build();
    }

    private Behavior<Command> onConnect(Connect connect) {
        downstream = connect.downstream();
        return emit();
    }

    private Behavior<Command> onRequest(Flow.Request request) {
        demand += request.n();
        return emit();
    }

    private Behavior<Command> onGetStats(GetStats get) {
        get.replyTo().tell(new Stats(next, demandWaits));
        return this;
    }

    private Behavior<Command> emit() {
        if (downstream == null) {
            return this; // demand that came before the connection waits for it
        }
        while (demand > 0 && next < total) {
            downstream.tell(new Flow.Element(next, next));
            next++;
            demand--;
        }
        if (next == total && !completed) {
            completed = true;
            downstream.tell(new Flow.Completed(total));
        } else if (next < total) {
            demandWaits++; // elements left, none asked for: back-pressure reached the source
        }
        return this;
    }
}
