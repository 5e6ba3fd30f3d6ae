package io.troupe.examples.wordcount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class CorpusTest {

    @Test
    void shouldShipExactlyWhatTheGeneratorWritesWhenTheCorpusIsBundled() throws IOException {
        String shipped = WordCountExampleTest.bundledCorpus();

        assertEquals(
                CorpusGenerator.generate(),
                shipped,
                "corpus.txt is not the generator's output: regenerate it with CorpusGenerator");
        assertTrue(
                shipped.length() < 200_000,
                "the corpus must stay small: " + shipped.length() + " chars");
    }
}
