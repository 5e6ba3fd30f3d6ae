package io.troupe.examples.dining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.examples.CommandRun;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DiningPhilosophersExampleTest {

    @Test
    void shouldFeedEveryPhilosopherWhenDinnerRunsItsCourse() {
        CommandRun run =
                CommandRun.of(
                        "dining-philosophers",
                        "--philosophers",
                        "5",
                        "--millis",
                        "600",
                        "--eat-millis",
                        "5",
                        "--think-millis",
                        "5");

        assertEquals(0, run.exitCode(), run::transcript);
        int total = 0;
        for (int seat = 0; seat < 5; seat++) {
            String name = Dinner.nameAt(seat);
            String line =
                    run.line(name + " ")
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    name + " missing:\n" + run.transcript()));
            int meals =
                    Integer.parseInt(
                            line.strip()
                                    .substring(name.length())
                                    .strip()
                                    .split(" ")[0]
                                    .replace(",", ""));
            assertTrue(meals >= 1, () -> name + " never ate:\n" + run.transcript());
            total += meals;
        }
        String result = run.line("Result:").orElseThrow();
        assertTrue(
                result.startsWith("Result: every philosopher ate at least once")
                        && result.contains(String.format("%,d meals in all", total)),
                run::transcript);
    }

    @Test
    void shouldSeatGeneratedNamesWhenThereAreMorePhilosophersThanFamousOnes() {
        CommandRun run =
                CommandRun.of(
                        "dining-philosophers",
                        "--philosophers",
                        "12",
                        "--millis",
                        "600",
                        "--eat-millis",
                        "5",
                        "--think-millis",
                        "5");

        assertEquals(0, run.exitCode(), run::transcript);
        assertTrue(run.line("Philosopher-12 ").isPresent(), run::transcript);
        assertEquals(
                12,
                run.lines().stream().filter(l -> l.contains(" meals  ")).count(),
                run::transcript);
    }
}
