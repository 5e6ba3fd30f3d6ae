package io.troupe.examples.wordcount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.examples.CommandRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WordCountExampleTest {

    @TempDir Path dir;

    @Test
    void shouldMatchTheSingleThreadedCountWhenMappingTheBundledCorpusOverTwoWorkers()
            throws IOException {
        Map<String, Long> expected = Words.count(bundledCorpus());
        List<Map.Entry<String, Long>> top = Words.top(expected, 3);

        CommandRun run = CommandRun.of("word-count", "--workers", "2", "--runs", "1", "--top", "3");

        assertEquals(0, run.exitCode(), run::transcript);
        assertTrue(
                run.line("map-reduce run 1:")
                        .orElseThrow()
                        .endsWith("equals the single-threaded count"),
                run::transcript);
        for (Map.Entry<String, Long> e : top) {
            assertTrue(
                    run.lines().stream()
                            .anyMatch(
                                    l ->
                                            l.strip()
                                                    .matches(
                                                            e.getKey()
                                                                    + " +"
                                                                    + String.format(
                                                                            Locale.ROOT,
                                                                            "%,d",
                                                                            e.getValue())
                                                                    + " +#+")),
                    () -> e + "\n" + run.transcript());
        }
        assertEquals(
                String.format(
                        Locale.ROOT,
                        "Result: map-reduce counts equal the single-threaded count in all"
                                + " 1 run; %,d words, %,d distinct; most frequent: '%s' %,d",
                        Words.total(expected),
                        expected.size(),
                        top.get(0).getKey(),
                        top.get(0).getValue()),
                run.line("Result:").orElse(""),
                run::transcript);
        run.assertCleanedUp();
    }

    @Test
    void shouldCountAUsersFileCutIntoManyPiecesExactly() throws IOException {
        Path file = dir.resolve("text.txt");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            text.append("The cat and the hat. Don't stop, the END ").append(i % 3).append('\n');
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);

        CommandRun run =
                CommandRun.of(
                        "word-count",
                        "--file",
                        file.toString(),
                        "--workers",
                        "1",
                        "--chunk-kb",
                        "1",
                        "--runs",
                        "1",
                        "--top",
                        "4");

        assertEquals(0, run.exitCode(), run::transcript);
        int pieces = Words.split(text.toString(), 1024).size();
        assertTrue(
                pieces > 10 && run.out().contains("in " + pieces + " pieces of about 1 KiB"),
                run::transcript);
        List<String> top =
                run.lines().stream()
                        .filter(l -> l.matches(" {4}\\S+ +[\\d,]+ +#+"))
                        .map(String::strip)
                        .map(l -> l.replaceAll(" +#+$", "").replaceAll(" +", " "))
                        .toList();
        assertEquals(List.of("the 900", "and 300", "cat 300", "don't 300"), top, run::transcript);
        assertEquals(
                "Result: map-reduce counts equal the single-threaded count in all 1 run; 3,000 words, 10"
                        + " distinct; most frequent: 'the' 900",
                run.line("Result:").orElse(""),
                run::transcript);
        run.assertCleanedUp();
    }

    @Test
    void shouldRejectAFileThatCannotBeRead() {
        CommandRun run =
                CommandRun.of("word-count", "--file", dir.resolve("missing.txt").toString());

        assertEquals(2, run.exitCode(), run::transcript);
        assertTrue(
                run.err()
                        .startsWith(
                                "Invalid value for option '--file': "
                                        + dir.resolve("missing.txt")
                                        + " is not a readable file"),
                run::transcript);
    }

    @Test
    void shouldKeepApostrophesInsideWordsAndLowerCaseEverything() {
        assertEquals(
                Map.of("don't", 1L, "stop", 2L, "rock", 1L, "n", 1L, "roll", 1L, "42", 1L),
                Words.count("Don't STOP 'rock' n' roll -- stop! 42"));
    }

    @Test
    void shouldNeverCutAWordWhenSplitting() {
        String text = "alpha beta gamma delta epsilon zeta eta theta";
        List<String> pieces = Words.split(text, 7);

        assertEquals(text, String.join("", pieces));
        Map<String, Long> counted = new HashMap<>();
        pieces.forEach(p -> Words.count(p, counted));
        assertEquals(Words.count(text), counted);
    }

    static String bundledCorpus() throws IOException {
        try (InputStream in = WordCountExample.class.getResourceAsStream(WordCountExample.CORPUS)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
