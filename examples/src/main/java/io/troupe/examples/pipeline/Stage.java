package io.troupe.examples.pipeline;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.troupe.remote.ActorKind;
import io.troupe.remote.RemoteNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * A transform stage, in a worker process of its own: asks the step above for elements, never more
 * than its buffer holds, transforms them and passes them down as the step below asks. When the step
 * below stops asking, its buffer fills, it stops asking in turn, and the back-pressure travels up
 * to the producer, one process at a time.
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class Stage extends AbstractBehavior<Stage.Command> {

    /** What {@code ProcessPool.spawn} starts on a worker; {@link PipelineSetup} registers it. */
    public static final ActorKind<Command> KIND =
            ActorKind.of("pipeline-stage", Command.class, Stage::create);

    /** What a stage understands. */
    public sealed interface Command permits Flow.Upstream, Flow.Downstream, Connect, GetStats {}

    /**
     * Makes this stage number {@code number}, between {@code upstream} and {@code downstream},
     * holding at most {@code capacity} elements (buffered or asked for).
     */
    public record Connect(
            int number,
            int capacity,
            ActorRef<Flow.Upstream> upstream,
            ActorRef<Flow.Downstream> downstream)
            implements Command {
        public Connect {
            if (number < 1 || capacity < 1) {
                throw new IllegalArgumentException(
                        "number and capacity must be >= 1, were " + number + " and " + capacity);
            }
            Objects.requireNonNull(upstream, "upstream");
            Objects.requireNonNull(downstream, "downstream");
        }
    }

    /** Replies {@link Stats}. */
    public record GetStats(ActorRef<Stats> replyTo) implements Command {
        public GetStats {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /**
     * A stage's state: the elements in its buffer, those it asked for that have not arrived yet
     * (together never more than {@code capacity}), and how many it has passed on.
     */
    public record Stats(
            int number, String node, int buffered, long askedFor, int capacity, long passed) {

        /**
         * @return the elements this stage holds or has coming: its share of what is in flight
         */
        public long inFlight() {
            return buffered + askedFor;
        }
    }

    private final Deque<Flow.Element> buffer = new ArrayDeque<>();
    private Connect connect;
    private long askedFor;
    private long demand;
    private long passed;
    private Flow.Completed completed;

    private Stage(ActorContext<Command> context) {
        super(context);
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(Stage::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Connect.class, this::onConnect)
                .onMessage(Flow.Element.class, this::onElement)
                .onMessage(Flow.Completed.class, this::onCompleted)
                .onMessage(Flow.Request.class, this::onRequest)
                .onMessage(GetStats.class, this::onGetStats)
                .build();
    }

    private Behavior<Command> onConnect(Connect newConnect) {
        connect = newConnect;
        return emitAndRefill();
    }

    private Behavior<Command> onElement(Flow.Element element) {
        askedFor--;
        buffer.addLast(
                new Flow.Element(
                        element.seq(), Transform.apply(connect.number(), element.value())));
        return emitAndRefill();
    }

    private Behavior<Command> onCompleted(Flow.Completed end) {
        completed = end;
        return emitAndRefill();
    }

    private Behavior<Command> onRequest(Flow.Request request) {
        demand += request.n(); // may come before Connect: the step below was connected first
        return emitAndRefill();
    }

    private Behavior<Command> onGetStats(GetStats get) {
        get.replyTo()
                .tell(
                        new Stats(
                                connect == null ? 0 : connect.number(),
                                RemoteNode.get(getContext().getSystem()).name(),
                                buffer.size(),
                                askedFor,
                                connect == null ? 0 : connect.capacity(),
                                passed));
        return this;
    }

    private Behavior<Command> emitAndRefill() {
        if (connect == null) {
            return this;
        }
        while (demand > 0 && !buffer.isEmpty()) {
            connect.downstream().tell(buffer.removeFirst());
            demand--;
            passed++;
        }
        if (completed != null) {
            if (buffer.isEmpty()) {
                connect.downstream().tell(completed);
                completed = null;
            }
            return this;
        }
        // Ask for what fits, in batches of at least half the buffer, so that demand is not one
        // message per element.
        long free = connect.capacity() - buffer.size() - askedFor;
        if (free >= Math.max(1, connect.capacity() / 2)) {
            connect.upstream().tell(new Flow.Request((int) free));
            askedFor += free;
        }
        return this;
    }
}
