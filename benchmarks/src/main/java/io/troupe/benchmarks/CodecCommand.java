package io.troupe.benchmarks;

import io.troupe.benchmarks.jmh.CodecBenchmark;
import io.troupe.benchmarks.jmh.NaiveKryo;
import io.troupe.benchmarks.jmh.Payload;
import io.troupe.benchmarks.report.CodecTable;
import io.troupe.benchmarks.report.JsonReport;
import io.troupe.core.codec.MessageCodec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code codec}: runs {@link CodecBenchmark} through JMH's Runner and prints one table in which
 * every Troupe figure stands beside naive Kryo's from the same run, with the ratio, both encoded
 * sizes, the JVM and its flags. {@code --json FILE} writes the same figures, one object per
 * measurement.
 *
 * <p>Settings: an explicit option wins, then {@code --quick}, then the defaults (1 fork, 3 warm-up
 * iterations of 1 s, 3 measured iterations of 2 s: about two minutes).
 *
 * <p>Thread safety: a command object, run once on the main thread.
 */
@Command(
        name = "codec",
        mixinStandardHelpOptions = true,
        description =
                "Troupe's MessageCodec beside naive Kryo 5.6.2: encode and decode of a ~32 B and a ~256 B record.")
final class CodecCommand implements Callable<Integer> {
    private static final int DEFAULT_FORKS = 1;
    private static final int DEFAULT_WARMUP_ITERATIONS = 3;
    private static final String DEFAULT_WARMUP_TIME = "1s";
    private static final int DEFAULT_ITERATIONS = 3;
    private static final String DEFAULT_TIME = "2s";
    private static final int QUICK_WARMUP_ITERATIONS = 1;
    private static final String QUICK_WARMUP_TIME = "500ms";
    private static final int QUICK_ITERATIONS = 2;
    private static final String QUICK_TIME = "500ms";

    @Spec CommandSpec spec;

    @Option(
            names = "--quick",
            description =
                    "Short iterations (1 x 500ms warm-up, 2 x 500ms measured): checks the harness, not the speed.")
    boolean quick;

    @Option(
            names = {"-f", "--forks"},
            paramLabel = "N",
            description = "JMH forks; 0 runs in this JVM (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + DEFAULT_FORKS)
    int forks;

    @Option(
            names = {"-wi", "--warmup-iterations"},
            paramLabel = "N",
            description = "Warm-up iterations (default 3; 1 with --quick).")
    Integer warmupIterations;

    @Option(
            names = {"-w", "--warmup-time"},
            paramLabel = "TIME",
            description = "Time per warm-up iteration, e.g. 1s, 500ms (default 1s).")
    String warmupTime;

    @Option(
            names = {"-i", "--iterations"},
            paramLabel = "N",
            description = "Measured iterations (default 3; 2 with --quick).")
    Integer iterations;

    @Option(
            names = {"-r", "--time"},
            paramLabel = "TIME",
            description = "Time per measured iteration (default 2s; 500ms with --quick).")
    String time;

    @Option(
            names = "--alloc",
            description = "Also measure bytes allocated per operation (JMH's gc profiler).")
    boolean alloc;

    @Option(
            names = "--jvm-arg",
            paramLabel = "ARG",
            description = "Extra flag for the forked JVMs; repeatable.")
    List<String> jvmArgs = new ArrayList<>();

    @Option(
            names = "--jmh-output",
            paramLabel = "MODE",
            defaultValue = "NORMAL",
            description =
                    "JMH's own progress output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    VerboseMode jmhOutput;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "Also write the figures as JSON, one object per measurement.")
    Path json;

    @Override
    public Integer call() throws Exception {
        List<String> forkArgs = new ArrayList<>();
        forkArgs.add(JvmFlags.ADD_EXPORTS);
        forkArgs.addAll(jvmArgs);
        ChainedOptionsBuilder options =
                new OptionsBuilder()
                        .include("^" + Pattern.quote(CodecBenchmark.class.getName()) + "\\.")
                        .forks(forks)
                        .jvmArgsAppend(forkArgs.toArray(String[]::new))
                        .warmupIterations(
                                pick(
                                        warmupIterations,
                                        QUICK_WARMUP_ITERATIONS,
                                        DEFAULT_WARMUP_ITERATIONS))
                        .warmupTime(
                                TimeValue.fromString(
                                        pick(warmupTime, QUICK_WARMUP_TIME, DEFAULT_WARMUP_TIME)))
                        .measurementIterations(
                                pick(iterations, QUICK_ITERATIONS, DEFAULT_ITERATIONS))
                        .measurementTime(TimeValue.fromString(pick(time, QUICK_TIME, DEFAULT_TIME)))
                        .threads(1)
                        .verbosity(jmhOutput)
                        .shouldFailOnError(true);
        if (alloc) {
            options.addProfiler(GCProfiler.class);
        }
        Collection<RunResult> results = new Runner(options.build()).run();

        CodecTable table = CodecTable.of(results, encodedSizes());
        PrintWriter out = spec.commandLine().getOut();
        out.println();
        out.print(table.render());
        if (json != null) {
            JsonReport report = new JsonReport();
            table.addTo(report);
            report.write(json);
            out.println(
                    "JSON: " + report.size() + " measurements written to " + json.toAbsolutePath());
        }
        out.flush();
        return 0;
    }

    private <T> T pick(T explicit, T quickValue, T defaultValue) {
        return explicit != null ? explicit : quick ? quickValue : defaultValue;
    }

    /** Each payload's encoded size, measured with the same setups the benchmark uses. */
    private static Map<String, Map<Payload, Integer>> encodedSizes() {
        MessageCodec troupe = CodecBenchmark.troupeCodec();
        NaiveKryo kryo = new NaiveKryo();
        Map<Payload, Integer> troupeSizes = new EnumMap<>(Payload.class);
        Map<Payload, Integer> kryoSizes = new EnumMap<>(Payload.class);
        for (Payload p : Payload.values()) {
            troupeSizes.put(p, troupe.encode(p.message()).length);
            kryoSizes.put(p, kryo.encode(p.message()));
        }
        return Map.of("troupe", troupeSizes, "kryo", kryoSizes);
    }
}
