package io.troupe.examples.pi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.examples.CommandRun;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PiExampleTest {

    private static final Pattern RUN =
            Pattern.compile(
                    "(\\d+) workers?:\\s+pi ~ (\\d\\.\\d+) in\\s+[\\d,]+ ms = .* \\(chunks per worker: \\[([\\d, ]+)]\\)");
    private static final Pattern RESULT =
            Pattern.compile(
                    "Result: pi ~ (\\d\\.\\d+) \\(error .*\\) from 20,000,000"
                            + " points; 2 workers (\\d+\\.\\d+)x as fast as 1 \\(ideal \\d+x on \\d+ cores\\)");

    @Test
    void shouldEstimatePiAndCountTheSamePointsWhenRunOnOneWorkerThenOnTwo() {
        CommandRun run = CommandRun.of("pi", "--workers", "2", "--samples", "20", "--chunks", "8");

        assertEquals(0, run.exitCode(), run::transcript);
        Matcher one = matchRun(run, "1 worker:");
        Matcher two = matchRun(run, "2 workers:");
        assertEquals(
                one.group(2),
                two.group(2),
                "the same chunks give the same estimate\n" + run.transcript());
        assertEquals(8, chunks(one.group(3)), run::transcript);
        assertEquals(8, chunks(two.group(3)), run::transcript);
        assertEquals(
                2, two.group(3).split(",").length, "both workers took chunks\n" + run.transcript());
        assertTrue(
                run.line("both runs counted exactly the same points inside the circle").isPresent(),
                run::transcript);
        Matcher result = RESULT.matcher(run.line("Result:").orElse(""));
        assertTrue(result.matches(), run::transcript);
        // 20 million points: the standard error is about 0.0004.
        assertEquals(Math.PI, Double.parseDouble(result.group(1)), 0.005, run::transcript);
        assertTrue(Double.parseDouble(result.group(2)) > 0, run::transcript);
        run.assertCleanedUp();
    }

    @Test
    void shouldCountTheSamePointsForAChunkWhereverItRunsAndOthersForOtherChunks() {
        assertEquals(PiWorker.inside(3, 100_000), PiWorker.inside(3, 100_000));
        assertNotEquals(PiWorker.inside(3, 100_000), PiWorker.inside(4, 100_000));
        long inside = PiWorker.inside(0, 1_000_000);
        assertEquals(Math.PI, 4.0 * inside / 1_000_000, 0.01);
    }

    private static Matcher matchRun(CommandRun run, String label) {
        Matcher m =
                RUN.matcher(
                        run.line(label)
                                .orElseThrow(
                                        () ->
                                                new AssertionError(
                                                        "no line "
                                                                + label
                                                                + "\n"
                                                                + run.transcript()))
                                .strip());
        assertTrue(m.matches(), run::transcript);
        return m;
    }

    private static int chunks(String perWorker) {
        return Arrays.stream(perWorker.split(","))
                .map(String::strip)
                .mapToInt(Integer::parseInt)
                .sum();
    }
}
