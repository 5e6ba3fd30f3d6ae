package io.troupe.examples.dining;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One dinner: lays the table (forks and philosophers as its children), counts the meals eaten, and
 * when time is up reports them and stops, taking everyone at the table with it.
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class Dinner extends AbstractBehavior<Dinner.Command> {

    private static final List<String> NAMES =
            List.of(
                    "Aristotle",
                    "Kant",
                    "Spinoza",
                    "Marx",
                    "Russell",
                    "Confucius",
                    "Hypatia",
                    "Descartes",
                    "Wittgenstein",
                    "Arendt");

    /** What a dinner understands. */
    public sealed interface Command permits Serve, MealEaten, TimeUp {}

    /** Seats {@code philosophers} at a round table with as many forks, for {@code length}. */
    public record Serve(
            int philosophers,
            Duration length,
            Philosopher.Habits habits,
            ActorRef<Finished> replyTo)
            implements Command {
        public Serve {
            if (philosophers < 2) {
                throw new IllegalArgumentException(
                        "a dinner needs at least 2 philosophers, was " + philosophers);
            }
            Objects.requireNonNull(length, "length");
            Objects.requireNonNull(habits, "habits");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** The philosopher at {@code seat} finished a meal. */
    public record MealEaten(int seat) implements Command {}

    private enum TimeUp implements Command {
        INSTANCE
    }

    /** The reply to {@link Serve}: how much each philosopher ate, by seat. */
    public record Finished(List<Plate> plates) {
        public Finished {
            plates = List.copyOf(plates);
        }
    }

    /** One philosopher's meals. */
    public record Plate(String philosopher, int meals) {}

    private final TimerScheduler<Command> timers;
    private Serve serving;
    private int[] meals;

    private Dinner(ActorContext<Command> context, TimerScheduler<Command> timers) {
        super(context);
        this.timers = timers;
    }

    public static Behavior<Command> create() {
        return Behaviors.withTimers(
                timers -> Behaviors.setup(context -> new Dinner(context, timers)));
    }

    /**
     * @return the name of the philosopher at {@code seat}
     */
    static String nameAt(int seat) {
        return seat < NAMES.size() ? NAMES.get(seat) : "Philosopher-" + (seat + 1);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Serve.class, this::onServe)
                .onMessage(MealEaten.class, this::onMealEaten)
                .onMessageEquals(TimeUp.INSTANCE, this::onTimeUp)
                .build();
    }

    private Behavior<Command> onServe(Serve serve) {
        if (serving != null) {
            getContext().getLog().warn("Ignoring {}: dinner is already served", serve);
            return this;
        }
        serving = serve;
        meals = new int[serve.philosophers()];
        List<ActorRef<Fork.Command>> forks = new ArrayList<>();
        for (int i = 0; i < serve.philosophers(); i++) {
            forks.add(getContext().spawn(Fork.create(), "fork-" + i));
        }
        ActorRef<MealEaten> table = getContext().getSelf().narrow();
        for (int seat = 0; seat < serve.philosophers(); seat++) {
            ActorRef<Fork.Command> left = forks.get(seat);
            ActorRef<Fork.Command> right = forks.get((seat + 1) % forks.size());
            getContext()
                    .spawn(
                            Philosopher.create(seat, left, right, table, serve.habits()),
                            "philosopher-" + seat);
        }
        timers.startSingleTimer(TimeUp.INSTANCE, serve.length());
        return this;
    }

    private Behavior<Command> onMealEaten(MealEaten meal) {
        meals[meal.seat()]++;
        return this;
    }

    private Behavior<Command> onTimeUp() {
        List<Plate> plates = new ArrayList<>();
        for (int seat = 0; seat < meals.length; seat++) {
            plates.add(new Plate(nameAt(seat), meals[seat]));
        }
        serving.replyTo().tell(new Finished(plates));
        return Behaviors.stopped(); // stops the forks and philosophers too
    }
}
