package io.troupe.examples.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.examples.CommandRun;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PipelineExampleTest {

    private static final Pattern RESULT =
            Pattern.compile(
                    "Result: consumed 1,200 of 1,200 produced, in order, every"
                            + " value right; in flight at most ([\\d,]+) \\(bound 3 steps x 16 = 48\\); producer waited for demand"
                            + " ([\\d,]+) times");
    private static final Pattern PROGRESS =
            Pattern.compile(
                    " +\\d+\\.\\d+ s  produced +([\\d,]+)  consumed +([\\d,]+)"
                            + "  in flight +(\\d+) of at most 48 \\(stage-1 +(\\d+)/16, stage-2 +(\\d+)/16, consumer +(\\d+)/16\\)"
                            + "  producer waits [\\d,]+");

    @Test
    void shouldLoseNothingAndBoundWhatIsInFlightWhenTheConsumerIsSlow() {
        CommandRun run =
                CommandRun.of("pipeline", "--elements", "1200", "--rate", "1000", "--buffer", "16");

        assertEquals(0, run.exitCode(), run::transcript);
        Matcher result = RESULT.matcher(run.line("Result:").orElse(""));
        assertTrue(result.matches(), run::transcript);
        assertTrue(Long.parseLong(result.group(1).replace(",", "")) <= 48, run::transcript);
        // The consumer takes 1,000 a second; the producer could send all 1,200 at once. It had to
        // wait.
        assertTrue(Long.parseLong(result.group(2).replace(",", "")) > 0, run::transcript);
        long progressLines = 0;
        for (String line : run.lines()) {
            Matcher m = PROGRESS.matcher(line);
            if (m.matches()) {
                progressLines++;
                long stage1 = number(m.group(4));
                long stage2 = number(m.group(5));
                long consumer = number(m.group(6));
                assertTrue(stage1 <= 16 && stage2 <= 16 && consumer <= 16, line);
                assertEquals(stage1 + stage2 + consumer, number(m.group(3)), line);
            }
        }
        assertTrue(
                progressLines >= 2,
                "a 1.2 s run prints progress every 250 ms\n" + run.transcript());
        assertTrue(
                run.line("consumer: 1,200 elements in")
                        .orElseThrow()
                        .endsWith("0 out of order, 0 with a wrong value"),
                run::transcript);
        run.assertCleanedUp();
    }

    @Test
    void shouldGiveEachStageItsOwnTransformWhenComputingExpectedValues() {
        assertEquals(Transform.apply(2, Transform.apply(1, 7)), Transform.expected(2, 7));
        assertEquals(7, Transform.expected(0, 7));
        assertTrue(Transform.apply(1, 7) != Transform.apply(2, 7));
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }
}
