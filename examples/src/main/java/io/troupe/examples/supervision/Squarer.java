package io.troupe.examples.supervision;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.troupe.remote.ActorKind;
import io.troupe.remote.RemoteNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * Sums the squares of a range of numbers, one range at a time, each taking a set time (a timer
 * standing in for heavier work, so that the job lasts long enough for a worker to be killed in the
 * middle of it, without taking the cores the restart needs).
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class Squarer extends AbstractBehavior<Squarer.Command> {

    /** What {@code ProcessPool.spawn} starts on a worker; {@link SupervisionSetup} registers it. */
    public static final ActorKind<Command> KIND =
            ActorKind.of("squarer", Command.class, Squarer::create);

    /** What a squarer understands. */
    public sealed interface Command permits Sum, Finish {}

    /** Sums {@code from² + ... + to²}, taking {@code millis}; replies {@link Summed}. */
    public record Sum(int range, long from, long to, long millis, ActorRef<Summed> replyTo)
            implements Command {
        public Sum {
            if (from < 1 || to < from || millis < 0) {
                throw new IllegalArgumentException(
                        "1 <= from <= to and millis >= 0 expected, were "
                                + from
                                + ", "
                                + to
                                + " and "
                                + millis);
            }
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** The reply to {@link Sum}, naming the worker process that computed it. */
    public record Summed(int range, long sum, String worker, long pid) {}

    private enum Finish implements Command {
        INSTANCE
    }

    private final TimerScheduler<Command> timers;
    private final Deque<Sum> queue = new ArrayDeque<>();
    private final String worker;

    private Squarer(ActorContext<Command> context, TimerScheduler<Command> timers) {
        super(context);
        this.timers = timers;
        this.worker = RemoteNode.get(context.getSystem()).name();
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(
                context -> Behaviors.withTimers(timers -> new Squarer(context, timers)));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Sum.class, this::onSum)
                .onMessage(Finish.class, this::onFinish)
                .build();
    }

    private Behavior<Command> onSum(Sum sum) {
        queue.addLast(sum);
        if (queue.size() == 1) {
            timers.startSingleTimer(Finish.INSTANCE, Duration.ofMillis(sum.millis()));
        }
        return this;
    }

    private Behavior<Command> onFinish(Finish finish) {
        Sum sum = queue.removeFirst();
        sum.replyTo()
                .tell(
                        new Summed(
                                sum.range(),
                                sumOfSquares(sum.from(), sum.to()),
                                worker,
                                ProcessHandle.current().pid()));
        if (!queue.isEmpty()) {
            timers.startSingleTimer(Finish.INSTANCE, Duration.ofMillis(queue.peekFirst().millis()));
        }
        return this;
    }

    /** {@code from² + ... + to²}; the example keeps the total below 2^63. */
    static long sumOfSquares(long from, long to) {
        long sum = 0;
        for (long i = from; i <= to; i++) {
            sum += i * i;
        }
        return sum;
    }
}
