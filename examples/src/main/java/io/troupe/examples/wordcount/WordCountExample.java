package io.troupe.examples.wordcount;

import akka.actor.typed.ActorRef;
import io.troupe.examples.Example;
import io.troupe.examples.ExampleCluster;
import io.troupe.examples.ExampleSystem;
import io.troupe.examples.Range;
import io.troupe.remote.ProcessPool;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code word-count}: map-reduce over a text across worker processes, checked against a
 * single-threaded count of the same text in the same run.
 *
 * <p>Thread safety: as {@link Example}.
 */
@Command(
        name = "word-count",
        mixinStandardHelpOptions = true,
        description = {
            "Map-reduce word count across worker processes; prints the top words and the throughput.",
            "",
            "Each worker JVM hosts a mapper and a reducer. A job actor in this process cuts the text"
                    + " into pieces and hands them to the mappers; a mapper counts its piece's words and"
                    + " sends each reducer, in whichever process, the counts of the words that hash to it;"
                    + " the job then merges the reducers' sums. The result is compared with a single-threaded"
                    + " count of the same text. Without --file it counts a bundled corpus of generated prose"
                    + " (about 150 KB).",
            ""
        })
public final class WordCountExample implements Example {

    /** The bundled corpus, written by the test class {@code CorpusGenerator}. */
    static final String CORPUS = "corpus.txt";

    private static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

    @Spec CommandSpec spec;

    private Path file;

    @Option(
            names = "--file",
            paramLabel = "PATH",
            description =
                    "A UTF-8 text file to count, up to 256 MiB (default: the bundled corpus).")
    void setFile(Path value) {
        file = value;
    }

    @Option(
            names = "--workers",
            paramLabel = "N",
            defaultValue = "2",
            description =
                    "Worker processes, each with a mapper and a reducer, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 16)
    int workers;

    @Option(
            names = "--chunk-kb",
            paramLabel = "KB",
            defaultValue = "16",
            description =
                    "Size of the pieces handed to the mappers, in KiB, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 4096)
    int chunkKb;

    @Option(
            names = "--top",
            paramLabel = "N",
            defaultValue = "10",
            description =
                    "How many of the most frequent words to print, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 1000)
    int top;

    @Option(
            names = "--runs",
            paramLabel = "N",
            defaultValue = "2",
            description =
                    "Times the map-reduce runs (the first one also warms up the workers' JIT),"
                            + " ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 20)
    int runs;

    @Override
    public List<String> tourArguments() {
        return List.of("--runs", "1");
    }

    @Override
    public boolean inTour() {
        return false;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        String name = file == null ? CORPUS + " (bundled generated prose)" : file.toString();
        String text = read();
        long bytes = text.getBytes(StandardCharsets.UTF_8).length;
        List<String> chunks = Words.split(text, chunkKb * 1024);
        out.printf(
                Locale.ROOT,
                "word-count: %s, %,d bytes, in %d pieces of about %d KiB, over %d worker"
                        + " process%s (a mapper and a reducer in each)%n",
                name,
                bytes,
                chunks.size(),
                chunkKb,
                workers,
                workers == 1 ? "" : "es");
        out.flush();

        long singleStart = System.nanoTime();
        Map<String, Long> expected = Words.count(text);
        long singleNanos = System.nanoTime() - singleStart;
        long words = Words.total(expected);
        out.printf(
                Locale.ROOT,
                "  single-threaded count in this process: %,d words, %,d distinct, in %,d ms%n",
                words,
                expected.size(),
                singleNanos / 1_000_000);
        out.flush();

        CountJob.Counted counted = null;
        int matching = 0;
        try (ExampleSystem actors = ExampleCluster.startMain("word-count");
                ProcessPool pool =
                        ExampleCluster.launch(
                                actors,
                                ExampleCluster.workers(workers, WordCountSetup.class),
                                out)) {
            actors.register(CountJob.Command.class, Mapper.Command.class, Reducer.Command.class);
            List<ActorRef<Mapper.Command>> mappers = pool.spawnOnEach(Mapper.KIND);
            ActorRef<CountJob.Command> job = actors.spawn(CountJob.create(), "job");
            for (int r = 1; r <= runs; r++) {
                // Fresh reducers per run: a reducer's sum is for one job.
                List<ActorRef<Reducer.Command>> reducers = pool.spawnOnEach(Reducer.KIND);
                Duration deadline = Duration.ofSeconds(30).plusMillis(bytes / 10_000);
                counted =
                        actors.<CountJob.Command, CountJob.Counted>ask(
                                job,
                                replyTo -> new CountJob.Run(chunks, mappers, reducers, replyTo),
                                deadline);
                boolean equal = counted.counts().equals(expected);
                matching += equal ? 1 : 0;
                out.printf(
                        Locale.ROOT,
                        "  map-reduce run %d: %,d words, %,d distinct, in %,d ms = %s"
                                + "  %s the single-threaded count%n",
                        r,
                        Words.total(counted.counts()),
                        counted.counts().size(),
                        counted.elapsedNanos() / 1_000_000,
                        rate(words, bytes, counted.elapsedNanos()),
                        equal ? "equals" : "DIFFERS FROM");
                out.flush();
            }
        }

        out.printf(Locale.ROOT, "  top %d words:%n", Math.min(top, counted.counts().size()));
        List<Map.Entry<String, Long>> best = Words.top(counted.counts(), top);
        long most = best.isEmpty() ? 0 : best.get(0).getValue();
        int width = best.stream().mapToInt(e -> e.getKey().length()).max().orElse(0);
        for (Map.Entry<String, Long> e : best) {
            out.printf(
                    Locale.ROOT,
                    "    %-" + width + "s %,8d  %s%n",
                    e.getKey(),
                    e.getValue(),
                    "#".repeat((int) Math.round(30.0 * e.getValue() / most)));
        }
        out.printf(Locale.ROOT, "  single-threaded: %s%n", rate(words, bytes, singleNanos));
        if (counted.elapsedNanos() > singleNanos) {
            out.printf(
                    Locale.ROOT,
                    "  (one thread won: counting a byte costs about as little as shipping it"
                            + " to another process, and the %d cores here are shared by this process and %d workers;"
                            + " spreading work over processes pays when each piece needs more work than a copy)%n",
                    Runtime.getRuntime().availableProcessors(),
                    workers);
        }
        boolean ok = matching == runs;
        out.printf(
                Locale.ROOT,
                "Result: %s; %,d words, %,d distinct; most frequent: %s%n",
                ok
                        ? "map-reduce counts equal the single-threaded count in all "
                                + runs
                                + " run"
                                + (runs == 1 ? "" : "s")
                        : "FAILED: "
                                + (runs - matching)
                                + " of "
                                + runs
                                + " map-reduce runs differ from the"
                                + " single-threaded count",
                words,
                expected.size(),
                best.isEmpty()
                        ? "(no words)"
                        : "'"
                                + best.get(0).getKey()
                                + "' "
                                + String.format(Locale.ROOT, "%,d", most));
        out.flush();
        return ok ? 0 : 1;
    }

    private String read() throws IOException {
        if (file == null) {
            try (InputStream in = WordCountExample.class.getResourceAsStream(CORPUS)) {
                if (in == null) {
                    throw new IllegalStateException(
                            "The bundled corpus " + CORPUS + " is missing from the class path");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '--file': " + file + " is not a readable file");
        }
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new ParameterException(
                    spec.commandLine(),
                    String.format(
                            Locale.ROOT,
                            "Invalid value for option '--file': %s has %,d bytes, more than the %,d this example reads",
                            file,
                            Files.size(file),
                            MAX_FILE_BYTES));
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static String rate(long words, long bytes, long nanos) {
        double seconds = Math.max(nanos, 1) / 1e9;
        return String.format(
                Locale.ROOT,
                "%,.2f M words/s, %,.1f MB/s",
                words / seconds / 1e6,
                bytes / seconds / 1e6);
    }
}
