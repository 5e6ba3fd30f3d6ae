package io.troupe.examples.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.examples.CommandRun;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SupervisionExampleTest {

    private static final Pattern RESULT =
            Pattern.compile(
                    "Result: sum of squares 1\\.\\.100,000 ="
                            + " 333,338,333,350,000, expected 333,338,333,350,000 \\(n\\(n\\+1\\)\\(2n\\+1\\)/6\\): correct; worker-1"
                            + " killed \\(pid (\\d+)\\) and restarted 1 time \\(now pid (\\d+)\\); (\\d+) ranges? sent again");

    private static final Pattern TABLE_ROW =
            Pattern.compile(" {4}worker-\\d \\(pid \\d+\\) +(\\d+)");

    @Test
    void shouldFinishWithTheRightSumAndARestartedWorkerWhenAWorkerIsKilledMidJob() {
        CommandRun run =
                CommandRun.of(
                        "supervision",
                        "--n",
                        "100000",
                        "--ranges",
                        "12",
                        "--millis-per-range",
                        "100",
                        "--kill-at",
                        "25");

        assertEquals(0, run.exitCode(), run::transcript);
        Matcher m = RESULT.matcher(run.line("Result:").orElse(""));
        assertTrue(m.matches(), run::transcript);
        long killed = Long.parseLong(m.group(1));
        assertNotEquals(killed, Long.parseLong(m.group(2)), run::transcript);
        assertFalse(
                ProcessHandle.of(killed).map(ProcessHandle::isAlive).orElse(false),
                "pid " + killed + " lives");
        Matcher kill =
                Pattern.compile(
                                "killed worker-1 \\(pid "
                                        + killed
                                        + "\\) with SIGKILL, (\\d+) of 12 ranges done")
                        .matcher(run.out());
        assertTrue(kill.find(), run::transcript);
        int doneAtKill = Integer.parseInt(kill.group(1));
        assertTrue(doneAtKill >= 3 && doneAtKill < 12, "killed mid-job\n" + run.transcript());
        assertTrue(
                run.lines().stream()
                        .anyMatch(l -> l.contains("the squarer on worker-1 is gone (Terminated)")),
                run::transcript);
        assertTrue(
                run.lines().stream()
                        .anyMatch(l -> l.contains("a new squarer on worker-1 is ready")),
                run::transcript);
        // The per-process table: every range counted exactly once, whoever computed it.
        int counted =
                run.lines().stream()
                        .map(TABLE_ROW::matcher)
                        .filter(Matcher::matches)
                        .mapToInt(r -> Integer.parseInt(r.group(1)))
                        .sum();
        assertEquals(12, counted, run::transcript);
        run.assertCleanedUp();
    }

    @Test
    void shouldMatchTheLoopWhenComputingTheClosedForm() {
        assertEquals(Squarer.sumOfSquares(1, 1000), SupervisionExample.expectedSum(1000));
        assertEquals(333_333_833_333_500_000L, SupervisionExample.expectedSum(1_000_000));
    }
}
