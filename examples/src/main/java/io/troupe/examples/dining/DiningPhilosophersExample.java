package io.troupe.examples.dining;

import akka.actor.typed.ActorRef;
import io.troupe.examples.Example;
import io.troupe.examples.ExampleSystem;
import io.troupe.examples.Range;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dining-philosophers}: forks and philosophers as actors, dining for a fixed time without
 * deadlock; prints how many meals each philosopher ate.
 *
 * <p>Thread safety: as {@link Example}.
 */
@Command(
        name = "dining-philosophers",
        mixinStandardHelpOptions = true,
        description = {
            "Forks and philosophers as actors dine without deadlock; prints how much each one ate.",
            "",
            "Philosophers sit at a round table with one fork between each two; eating takes both. With"
                    + " locks, everyone holding a left fork and waiting for the right one deadlocks. Here"
                    + " forks are actors that answer 'taken' or 'refused' at once, and a philosopher who is"
                    + " refused one fork puts the other back and thinks a random moment before trying again,"
                    + " so nobody ever waits while holding a fork.",
            ""
        })
public final class DiningPhilosophersExample implements Example {

    @Spec CommandSpec spec;

    @Option(
            names = "--philosophers",
            paramLabel = "N",
            defaultValue = "5",
            description =
                    "Philosophers (and forks) at the table, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 2, max = 50)
    int philosophers;

    @Option(
            names = "--millis",
            paramLabel = "MS",
            defaultValue = "3000",
            description =
                    "How long dinner lasts, in milliseconds, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 100, max = 600_000)
    int millis;

    @Option(
            names = "--eat-millis",
            paramLabel = "MS",
            defaultValue = "20",
            description =
                    "How long a meal takes, in milliseconds, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 10_000)
    int eatMillis;

    @Option(
            names = "--think-millis",
            paramLabel = "MS",
            defaultValue = "20",
            description =
                    "How long a philosopher thinks between meals, on average, in milliseconds,"
                            + " ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 10_000)
    int thinkMillis;

    @Override
    public List<String> tourArguments() {
        return List.of("--philosophers", "5", "--millis", "1500");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "dining-philosophers: %d philosophers, %d forks; dinner lasts %,d ms"
                        + " (a meal takes %d ms, thinking about %d ms)%n",
                philosophers,
                philosophers,
                millis,
                eatMillis,
                thinkMillis);
        out.flush();

        Dinner.Finished finished;
        try (ExampleSystem actors = ExampleSystem.start("dining-philosophers")) {
            actors.register(Dinner.Command.class, Philosopher.Command.class, Fork.Command.class);
            ActorRef<Dinner.Command> dinner = actors.spawn(Dinner.create(), "dinner");
            Philosopher.Habits habits =
                    new Philosopher.Habits(
                            Duration.ofMillis(eatMillis), Duration.ofMillis(thinkMillis));
            Duration deadline = Duration.ofMillis(millis).plusSeconds(10);
            finished =
                    actors.<Dinner.Command, Dinner.Finished>ask(
                            dinner,
                            replyTo ->
                                    new Dinner.Serve(
                                            philosophers,
                                            Duration.ofMillis(millis),
                                            habits,
                                            replyTo),
                            deadline);
        }

        List<Dinner.Plate> plates = finished.plates();
        int most = plates.stream().mapToInt(Dinner.Plate::meals).max().orElse(0);
        int fewest = plates.stream().mapToInt(Dinner.Plate::meals).min().orElse(0);
        int total = plates.stream().mapToInt(Dinner.Plate::meals).sum();
        int nameWidth = plates.stream().mapToInt(p -> p.philosopher().length()).max().orElse(0);
        for (Dinner.Plate plate : plates) {
            int bar = most == 0 ? 0 : (int) Math.round(40.0 * plate.meals() / most);
            out.printf(
                    Locale.ROOT,
                    "  %-" + nameWidth + "s %,6d meals  %s%n",
                    plate.philosopher(),
                    plate.meals(),
                    "#".repeat(bar));
        }
        boolean everyoneAte = fewest > 0;
        if (everyoneAte) {
            out.printf(
                    Locale.ROOT,
                    "Result: every philosopher ate at least once (fewest %,d, most %,d,"
                            + " %,d meals in all); no deadlock%n",
                    fewest,
                    most,
                    total);
        } else {
            out.printf(
                    Locale.ROOT,
                    "Result: FAILED: %d of %d philosophers never ate (%,d meals in all)%n",
                    plates.stream().filter(p -> p.meals() == 0).count(),
                    plates.size(),
                    total);
        }
        out.flush();
        return everyoneAte ? 0 : 1;
    }
}
