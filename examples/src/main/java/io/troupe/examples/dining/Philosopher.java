package io.troupe.examples.dining;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A philosopher who thinks, gets hungry, asks for both forks at once, and eats when he has both.
 * One state per method, each returning the next behavior (after Akka's "hakkers" sample).
 *
 * <p>Why there is no deadlock: nobody waits while holding a fork. A philosopher refused one fork
 * puts the other back (or does so as soon as it arrives) and thinks for a random moment before
 * trying again, so the circular wait that deadlocks the lock-based version never forms, and the
 * random back-off keeps neighbours from retrying in lock step.
 *
 * <p>Thread safety: an actor; it receives only its own timer messages and its forks' replies.
 */
public final class Philosopher {

    /** Everything a philosopher receives is private: timers and his forks' answers. */
    public sealed interface Command permits BecomeHungry, FinishEating, ForkTaken, ForkRefused {}

    private enum BecomeHungry implements Command {
        INSTANCE
    }

    private enum FinishEating implements Command {
        INSTANCE
    }

    private record ForkTaken(ActorRef<Fork.Command> fork) implements Command {}

    private record ForkRefused(ActorRef<Fork.Command> fork) implements Command {}

    /** How long eating takes and (on average) thinking. */
    public record Habits(Duration eat, Duration think) {
        public Habits {
            if (eat.isNegative() || eat.isZero() || think.isNegative() || think.isZero()) {
                throw new IllegalArgumentException(
                        "eat and think must be positive, were " + eat + " and " + think);
            }
        }
    }

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final int seat;
    private final ActorRef<Fork.Command> left;
    private final ActorRef<Fork.Command> right;
    private final ActorRef<Dinner.MealEaten> table;
    private final Habits habits;
    private final ActorRef<Fork.Reply> forkReplies;

    private Philosopher(
            ActorContext<Command> context,
            TimerScheduler<Command> timers,
            int seat,
            ActorRef<Fork.Command> left,
            ActorRef<Fork.Command> right,
            ActorRef<Dinner.MealEaten> table,
            Habits habits) {
        this.context = context;
        this.timers = timers;
        this.seat = seat;
        this.left = left;
        this.right = right;
        this.table = table;
        this.habits = habits;
        this.forkReplies = context.messageAdapter(Fork.Reply.class, Philosopher::adapt);
    }

    /**
     * A philosopher at {@code seat} between two forks, who tells {@code table} of every meal and
     * starts by thinking.
     */
    public static Behavior<Command> create(
            int seat,
            ActorRef<Fork.Command> left,
            ActorRef<Fork.Command> right,
            ActorRef<Dinner.MealEaten> table,
            Habits habits) {
        return Behaviors.withTimers(
                timers ->
                        Behaviors.setup(
                                context ->
                                        new Philosopher(
                                                        context, timers, seat, left, right, table,
                                                        habits)
                                                .think(habits.think())));
    }

    private static Command adapt(Fork.Reply reply) {
        if (reply instanceof Fork.Taken taken) {
            return new ForkTaken(taken.fork());
        }
        return new ForkRefused(((Fork.Refused) reply).fork());
    }

    // --- states -------------------------------------------------------------------------------

    private Behavior<Command> thinking() {
        return Behaviors.receive(Command.class)
                .onMessage(BecomeHungry.class, hungry -> onHungry())
                .build();
    }

    private Behavior<Command> hungry() {
        return Behaviors.receive(Command.class)
                .onMessage(ForkTaken.class, this::onFirstForkTaken)
                .onMessage(ForkRefused.class, refused -> firstForkRefused())
                .build();
    }

    private Behavior<Command> waitingForSecondFork(ActorRef<Fork.Command> held) {
        return Behaviors.receive(Command.class)
                .onMessage(ForkTaken.class, taken -> eat())
                .onMessage(ForkRefused.class, refused -> putBackAndThink(held))
                .build();
    }

    private Behavior<Command> firstForkRefused() {
        return Behaviors.receive(Command.class)
                .onMessage(ForkTaken.class, taken -> putBackAndThink(taken.fork()))
                .onMessage(ForkRefused.class, refused -> think(backOff()))
                .build();
    }

    private Behavior<Command> eating() {
        return Behaviors.receive(Command.class)
                .onMessage(FinishEating.class, done -> onFinishEating())
                .build();
    }

    // --- transitions --------------------------------------------------------------------------

    private Behavior<Command> onHungry() {
        left.tell(new Fork.Take(forkReplies));
        right.tell(new Fork.Take(forkReplies));
        return hungry();
    }

    private Behavior<Command> onFirstForkTaken(ForkTaken taken) {
        return waitingForSecondFork(taken.fork());
    }

    private Behavior<Command> eat() {
        timers.startSingleTimer(FinishEating.INSTANCE, habits.eat());
        return eating();
    }

    private Behavior<Command> onFinishEating() {
        left.tell(new Fork.Put(forkReplies));
        right.tell(new Fork.Put(forkReplies));
        table.tell(new Dinner.MealEaten(seat));
        return think(aboutThinkTime());
    }

    private Behavior<Command> putBackAndThink(ActorRef<Fork.Command> held) {
        held.tell(new Fork.Put(forkReplies));
        return think(backOff());
    }

    private Behavior<Command> think(Duration howLong) {
        timers.startSingleTimer(BecomeHungry.INSTANCE, howLong);
        return thinking();
    }

    /** Between half and one and a half times the usual thinking time. */
    private Duration aboutThinkTime() {
        long nanos = habits.think().toNanos();
        return Duration.ofNanos(nanos / 2 + ThreadLocalRandom.current().nextLong(nanos + 1));
    }

    /** A short random pause after a refusal, so that neighbours do not retry in lock step. */
    private Duration backOff() {
        return Duration.ofNanos(
                1 + ThreadLocalRandom.current().nextLong(habits.think().toNanos() / 2 + 1));
    }
}
