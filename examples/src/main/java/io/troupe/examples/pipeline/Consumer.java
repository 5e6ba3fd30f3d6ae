package io.troupe.examples.pipeline;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * The sink, deliberately slow: it takes at most {@code perTick} elements from its inbox every
 * {@link #TICK} (think of a slow disk or a rate-limited service), and asks for more only as its
 * inbox empties. It checks that every element comes in order, once, with the value the stages must
 * have given it.
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class Consumer extends AbstractBehavior<Consumer.Command> {

    /** How often the consumer takes elements from its inbox. */
    static final Duration TICK = Duration.ofMillis(10);

    /** What a consumer understands. */
    public sealed interface Command permits Flow.Downstream, Connect, GetStats, Tick {}

    /**
     * Consumes from {@code upstream} after {@code stages} stages, holding at most {@code window}
     * elements (in its inbox or asked for), {@code perTick} per {@link #TICK}; replies {@link
     * Finished} after the last one.
     */
    public record Connect(
            ActorRef<Flow.Upstream> upstream,
            int stages,
            int window,
            int perTick,
            ActorRef<Finished> replyTo)
            implements Command {
        public Connect {
            Objects.requireNonNull(upstream, "upstream");
            if (stages < 0 || window < 1 || perTick < 1) {
                throw new IllegalArgumentException(
                        "stages >= 0, window >= 1 and perTick >= 1 expected, were "
                                + stages
                                + ", "
                                + window
                                + " and "
                                + perTick);
            }
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** Replies {@link Stats}. */
    public record GetStats(ActorRef<Stats> replyTo) implements Command {
        public GetStats {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /**
     * How many elements were consumed; how many wait in the inbox, and how many were asked for and
     * have not arrived yet (together never more than the window).
     */
    public record Stats(long consumed, int inbox, long askedFor) {

        /**
         * @return the elements the consumer holds or has coming: its share of what is in flight
         */
        public long inFlight() {
            return inbox + askedFor;
        }
    }

    /**
     * The reply to {@link Connect}: {@code consumed} elements, of which {@code outOfOrder} broke
     * the sequence and {@code wrongValues} carried a value the stages cannot have given them;
     * {@code produced} is what the producer said it sent.
     */
    public record Finished(
            long consumed, long produced, long outOfOrder, long wrongValues, long elapsedNanos) {}

    private enum Tick implements Command {
        INSTANCE
    }

    private final TimerScheduler<Command> timers;
    private final Deque<Flow.Element> inbox = new ArrayDeque<>();
    private Connect connect;
    private long askedFor;
    private long consumed;
    private long outOfOrder;
    private long wrongValues;
    private Flow.Completed completed;
    private long startNanos;

    private Consumer(ActorContext<Command> context, TimerScheduler<Command> timers) {
        super(context);
        this.timers = timers;
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(
                context -> Behaviors.withTimers(timers -> new Consumer(context, timers)));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Connect.class, this::onConnect)
                .onMessage(Flow.Element.class, this::onElement)
                .onMessage(Flow.Completed.class, this::onCompleted)
                .onMessage(Tick.class, this::onTick)
                .onMessage(GetStats.class, this::onGetStats)
                .build();
    }

    private Behavior<Command> onConnect(Connect newConnect) {
        connect = newConnect;
        startNanos = System.nanoTime();
        timers.startTimerAtFixedRate(Tick.INSTANCE, TICK);
        askedFor = connect.window();
        connect.upstream().tell(new Flow.Request(connect.window()));
        return this;
    }

    private Behavior<Command> onElement(Flow.Element element) {
        askedFor--;
        inbox.addLast(element);
        return this;
    }

    private Behavior<Command> onCompleted(Flow.Completed end) {
        completed = end;
        return finishIfDone();
    }

    private Behavior<Command> onTick(Tick tick) {
        for (int i = 0; i < connect.perTick() && !inbox.isEmpty(); i++) {
            consume(inbox.removeFirst());
        }
        long free = connect.window() - inbox.size() - askedFor;
        if (completed == null && free >= Math.max(1, connect.window() / 2)) {
            connect.upstream().tell(new Flow.Request((int) free));
            askedFor += free;
        }
        return finishIfDone();
    }

    private Behavior<Command> onGetStats(GetStats get) {
        get.replyTo().tell(new Stats(consumed, inbox.size(), askedFor));
        return this;
    }

    private void consume(Flow.Element element) {
        if (element.seq() != consumed) {
            outOfOrder++;
        }
        if (element.value() != Transform.expected(connect.stages(), element.seq())) {
            wrongValues++;
        }
        consumed++;
    }

    private Behavior<Command> finishIfDone() {
        if (completed != null && inbox.isEmpty()) {
            timers.cancel(Tick.INSTANCE);
            connect.replyTo()
                    .tell(
                            new Finished(
                                    consumed,
                                    completed.count(),
                                    outOfOrder,
                                    wrongValues,
                                    System.nanoTime() - startNanos));
            completed = null;
        }
        return this;
    }
}
