package io.troupe.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExamplesMainTest {

    private static final List<String> EXAMPLES =
            List.of(
                    "ping-pong",
                    "bank",
                    "chicken",
                    "pi",
                    "word-count",
                    "io-bound",
                    "chat-room",
                    "pipeline",
                    "dining-philosophers",
                    "supervision");
    private static final List<String> TOUR =
            List.of("ping-pong", "bank", "chicken", "pi", "io-bound", "dining-philosophers");

    @Test
    void shouldListEveryExampleWithItsDescriptionWhenAskedToList() {
        CommandRun run = CommandRun.of("list");

        assertEquals(0, run.exitCode(), run::transcript);
        assertEquals(EXAMPLES.size(), run.lines().size(), run::transcript);
        assertEquals(
                EXAMPLES,
                run.lines().stream().map(l -> l.substring(0, l.indexOf(' '))).toList(),
                run::transcript);
        for (String example : EXAMPLES) {
            String line =
                    run.line(example + " ")
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    example
                                                            + " is not listed:\n"
                                                            + run.transcript()));
            assertTrue(
                    line.substring(example.length()).strip().length() > 20,
                    () -> example + " has no description: " + line);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ping-pong",
                "bank",
                "chicken",
                "pi",
                "word-count",
                "io-bound",
                "chat-room",
                "pipeline",
                "dining-philosophers",
                "supervision",
                "list",
                "tour"
            })
    void shouldPrintUsageWithDefaultsWhenAskedForHelp(String command) {
        CommandRun run = CommandRun.of(command, "--help");

        assertEquals(0, run.exitCode(), run::transcript);
        assertTrue(run.out().startsWith("Usage: troupe-examples " + command), run::transcript);
        if (EXAMPLES.contains(command)) {
            assertTrue(run.out().contains("(default: "), run::transcript);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "bank,                --threads,       0,     2..64",
        "bank,                --transfers,     100001, 1..100000",
        "chicken,             --tries,         0,     1..1000",
        "chicken,             --jitter-micros, -1,    0..10000",
        "chicken,             --processes,     3,     1..2",
        "ping-pong,           --round-trips,   99,    100..1000000",
        "ping-pong,           --window,        0,     1..4096",
        "pi,                  --workers,       17,    1..16",
        "pi,                  --samples,       0,     1..100000",
        "word-count,          --chunk-kb,      0,     1..4096",
        "word-count,          --workers,       0,     1..16",
        "chat-room,           --clients,       9,     1..8",
        "chat-room,           --port,          65536, 0..65535",
        "pipeline,            --stages,        5,     1..4",
        "pipeline,            --rate,          99,    100..1000000",
        "supervision,         --kill-at,       91,    0..90",
        "supervision,         --n,             999,   1000..2000000",
        "io-bound,            --calls,         5000,  1..2000",
        "io-bound,            --latency-millis, 0,    1..1000",
        "dining-philosophers, --philosophers,  1,     2..50",
        "dining-philosophers, --millis,        99,    100..600000",
        "dining-philosophers, --eat-millis,    0,     1..10000",
        "dining-philosophers, --think-millis,  10001, 1..10000"
    })
    void shouldRejectValueNamingItAndTheRangeWhenOptionIsOutOfRange(
            String example, String option, String value, String range) {
        CommandRun run = CommandRun.of(example, option, value);

        assertEquals(2, run.exitCode(), run::transcript);
        assertEquals(
                "Invalid value for option '"
                        + option
                        + "': "
                        + value
                        + " is outside the allowed range "
                        + range,
                run.err().lines().findFirst().orElse(""),
                run::transcript);
        assertEquals("", run.out(), "nothing may run after a bad argument\n" + run.transcript());
    }

    @Test
    void shouldNameTheValueWhenOptionIsNotANumber() {
        CommandRun run = CommandRun.of("bank", "--threads", "many");

        assertEquals(2, run.exitCode(), run::transcript);
        assertTrue(
                run.err().startsWith("Invalid value for option '--threads': 'many' is not an int"),
                run::transcript);
    }

    @Test
    void shouldNameTheArgumentWhenCommandIsUnknown() {
        CommandRun run = CommandRun.of("no-such-example");

        assertNotEquals(0, run.exitCode(), run::transcript);
        assertTrue(run.err().contains("'no-such-example'"), run::transcript);
    }

    @Test
    void shouldListTheCommandsWhenNoneIsGiven() {
        CommandRun run = CommandRun.of();

        assertEquals(2, run.exitCode(), run::transcript);
        assertTrue(
                run.err()
                        .startsWith(
                                "Missing command: give one of list, tour, stat, ping-pong, bank"),
                run::transcript);
    }

    @Test
    void shouldRunTheTourExamplesSuccessfullyWhenTouring() {
        CommandRun run = CommandRun.of("tour");

        assertEquals(0, run.exitCode(), run::transcript);
        List<String> ran =
                run.lines().stream()
                        .filter(l -> l.startsWith("=== "))
                        .map(l -> l.split(" ")[3])
                        .toList();
        assertEquals(TOUR, ran, run::transcript);
        assertEquals(
                TOUR.size(),
                run.lines().stream().filter(l -> l.startsWith("Result: ")).count(),
                run::transcript);
        assertTrue(run.lines().stream().noneMatch(l -> l.contains("FAILED")), run::transcript);
        assertTrue(
                run.line("Tour finished: 6 of 6 examples succeeded").isPresent(), run::transcript);
        run.assertCleanedUp(); // ping-pong's cluster
    }
}
