package io.troupe.examples.pingpong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.examples.CommandRun;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PingPongExampleTest {

    private static final Pattern RESULT =
            Pattern.compile(
                    "Result: 500 \\+ 500 round trips answered in order;"
                            + " round trip p50 ([\\d,]+) µs, p90 ([\\d,]+) µs, p99 ([\\d,]+) µs, max ([\\d,]+) µs;"
                            + " ([\\d,]+) asks/s one at a time, ([\\d,]+) round trips/s with 16 in flight");

    @Test
    void shouldAnswerEveryPingInOrderAndPrintOrderedPercentilesWhenPongerIsInAnotherProcess() {
        CommandRun run =
                CommandRun.of(
                        "ping-pong", "--round-trips", "500", "--warmup", "200", "--window", "16");

        assertEquals(0, run.exitCode(), run::transcript);
        String spawned =
                run.line("spawned a ponger on worker-1:")
                        .orElseThrow(() -> new AssertionError(run.transcript()));
        assertTrue(
                spawned.contains("troupe://worker-1@"), "the ponger is a remote actor: " + spawned);
        Matcher m = RESULT.matcher(run.line("Result:").orElse(""));
        assertTrue(m.matches(), run::transcript);
        long p50 = number(m.group(1));
        long p90 = number(m.group(2));
        long p99 = number(m.group(3));
        long max = number(m.group(4));
        assertTrue(p50 <= p90 && p90 <= p99 && p99 <= max, run::transcript);
        assertTrue(number(m.group(5)) > 0 && number(m.group(6)) > 0, run::transcript);
        assertTrue(
                run.line("tell, 16 in flight:").orElseThrow().endsWith("(0 pongs out of order)"),
                run::transcript);
        run.assertCleanedUp();
    }

    @Test
    void shouldTakeTheNearestRankWhenComputingPercentiles() {
        long[] hundred = new long[100];
        for (int i = 0; i < hundred.length; i++) {
            hundred[i] = i + 1;
        }
        assertEquals(50, PingPongExample.percentile(hundred, 50));
        assertEquals(99, PingPongExample.percentile(hundred, 99));
        assertEquals(100, PingPongExample.percentile(hundred, 100));
        assertEquals(7, PingPongExample.percentile(new long[] {7}, 50));
        assertEquals(1, PingPongExample.percentile(new long[] {1, 2, 3}, 1));
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }
}
