package io.troupe.examples.iobound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.core.dispatch.DispatcherPreset;
import io.troupe.examples.CommandRun;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IoBoundExampleTest {

    private static final Pattern RUN =
            Pattern.compile(
                    "(.+?)\\s+([\\d,]+) ms on\\s+(\\d+) threads \\(ideal\\s+([\\d,]+) ms\\)\\s+(\\d+)/(\\d+) done.*");

    @Test
    void shouldCompleteEveryCallOnEveryDispatcherWhenCallsBlock() {
        CommandRun run = CommandRun.of("io-bound", "--calls", "40", "--latency-millis", "20");

        assertEquals(0, run.exitCode(), run::transcript);
        for (Pool pool : Pool.values()) {
            Matcher m = matchRun(run, pool);
            assertEquals("40/40", m.group(5) + "/" + m.group(6), run::transcript);
            long elapsed = Long.parseLong(m.group(2).replace(",", ""));
            long ideal = Long.parseLong(m.group(4).replace(",", ""));
            // No pool can beat its own thread count: calls / threads rounds of 20 ms each.
            assertTrue(
                    elapsed >= ideal - 5,
                    () -> pool + " was faster than possible\n" + run.transcript());
        }
        assertTrue(run.line("Result: 120 of 120 calls completed").isPresent(), run::transcript);
    }

    @Test
    void shouldBoundThePresetPoolsAndExplainTheFallbackWhenVirtualThreadsAreMissing() {
        CommandRun run = CommandRun.of("io-bound", "--calls", "40", "--latency-millis", "5");

        assertTrue(
                Integer.parseInt(matchRun(run, Pool.BLOCKING_IO).group(3)) <= 32, run::transcript);
        if (DispatcherPreset.virtualThreadsAvailable()) {
            assertTrue(
                    run.out().contains("gives every call its own virtual thread"), run::transcript);
        } else {
            assertTrue(
                    Integer.parseInt(matchRun(run, Pool.VIRTUAL_THREADS).group(3)) <= 32,
                    run::transcript);
            assertTrue(
                    run.out().contains("so it fell back to a pool of platform threads"),
                    run::transcript);
        }
    }

    private static Matcher matchRun(CommandRun run, Pool pool) {
        String line =
                run.line(pool.label())
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "no line for "
                                                        + pool.label()
                                                        + ":\n"
                                                        + run.transcript()));
        Matcher m = RUN.matcher(line.strip());
        assertTrue(m.matches(), () -> "unexpected line: " + line);
        return m;
    }
}
