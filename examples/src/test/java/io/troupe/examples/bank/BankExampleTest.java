package io.troupe.examples.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.examples.CommandRun;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BankExampleTest {

    @Test
    void shouldKeepEveryCoinInTheActorWhenThreadsTransferConcurrently() {
        CommandRun run = CommandRun.of("bank", "--threads", "4", "--transfers", "2000");

        assertEquals(0, run.exitCode(), run::transcript);
        assertEquals(8_000, total(run, "same threads, account actor:"), run::transcript);
        assertTrue(
                run.line("Result: actor total 8,000 = expected 8,000 (invariant held)").isPresent(),
                run::transcript);
    }

    @Test
    void shouldNeverGainCoinsOnTheSharedFieldWhenThreadsRace() {
        CommandRun run = CommandRun.of("bank", "--threads", "2", "--transfers", "1000");

        // Lost updates only ever lose money: a stale write can undo others' deposits, never add
        // one.
        long threadsTotal = total(run, "plain threads, shared field:");
        assertTrue(threadsTotal > 0 && threadsTotal <= 2_000, run::transcript);
        String result = run.line("Result:").orElseThrow();
        assertTrue(
                result.endsWith(
                        threadsTotal == 2_000
                                ? "(invariant held this time: the race is real but did not strike, try more --transfers)"
                                : "(invariant broken: "
                                        + String.format("%,d", 2_000 - threadsTotal)
                                        + " coins lost)"),
                run::transcript);
    }

    /** The number after "total" on the line that starts with {@code prefix}. */
    private static long total(CommandRun run, String prefix) {
        String line =
                run.line(prefix)
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "no line '" + prefix + "':\n" + run.transcript()));
        String afterTotal = line.substring(line.indexOf("total") + "total".length()).strip();
        return Long.parseLong(afterTotal.substring(0, afterTotal.indexOf(' ')).replace(",", ""));
    }
}
