/**
 * {@code word-count}: map-reduce across the worker JVMs of a {@code ProcessPool}. A {@link
 * io.troupe.examples.wordcount.CountJob} in this process hands pieces of text to {@link
 * io.troupe.examples.wordcount.Mapper}s, which send their counts straight to the {@link
 * io.troupe.examples.wordcount.Reducer}s (actor refs travel in messages between worker processes);
 * the merged result is checked against a single-threaded count.
 *
 * <p>The bundled {@code corpus.txt} is generated prose (written by the test class {@code
 * CorpusGenerator} from a fixed seed), so it can be shipped without a licence question.
 */
package io.troupe.examples.wordcount;
