package io.troupe.examples.chicken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.examples.CommandRun;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChickenExampleTest {

    private static final String ANSWER = "\"To get to the other side.\"";

    @Test
    void shouldHearTheWordsInOrderWhenOneActorSendsThemToAnother() {
        CommandRun run = CommandRun.of("chicken", "--tries", "20");

        assertEquals(0, run.exitCode(), run::transcript);
        String actors =
                run.line("speaker actor -> listener actor, 20 times:")
                        .orElseThrow(() -> new AssertionError(run.transcript()));
        assertTrue(actors.contains(ANSWER) && actors.endsWith("in order 20/20"), run::transcript);
        assertTrue(
                run.line("Result:")
                        .orElseThrow()
                        .endsWith("actor messages arrived in order 20 of 20 times"),
                run::transcript);
    }

    @Test
    void shouldHearTheWordsInOrderWhenTheListenerIsInAnotherProcess() {
        CommandRun run = CommandRun.of("chicken", "--processes", "2", "--tries", "5");

        assertEquals(0, run.exitCode(), run::transcript);
        String actors =
                run.line("speaker actor -> listener actor in worker-1 (pid ")
                        .orElseThrow(() -> new AssertionError(run.transcript()));
        assertTrue(
                actors.contains("5 times: " + ANSWER) && actors.endsWith("in order 5/5"),
                run::transcript);
        assertTrue(
                run.line("Result:")
                        .orElseThrow()
                        .endsWith(
                                "actor messages arrived in order 5 of 5 times across two processes"),
                run::transcript);
        run.assertCleanedUp();
    }

    @Test
    void shouldSayEveryWordOnceWhenThreadsRace() {
        CommandRun run = CommandRun.of("chicken", "--tries", "5", "--jitter-micros", "200");

        List<String> tries =
                run.lines().stream().filter(l -> l.contains("threads, one word each")).toList();
        assertTrue(!tries.isEmpty() && tries.size() <= 5, run::transcript);
        for (String line : tries) {
            // The race reorders the words; it must neither lose nor duplicate one.
            String said = line.substring(line.indexOf('"') + 1, line.lastIndexOf('"'));
            assertEquals(sorted(ANSWER.replace("\"", "")), sorted(said), run::transcript);
            assertTrue(
                    line.endsWith(
                            said.equals("To get to the other side.")
                                    ? "in order, trying again"
                                    : "SCRAMBLED"),
                    run::transcript);
        }
    }

    private static List<String> sorted(String sentence) {
        List<String> words = new ArrayList<>(Arrays.asList(sentence.split(" ")));
        Collections.sort(words);
        return words;
    }
}
