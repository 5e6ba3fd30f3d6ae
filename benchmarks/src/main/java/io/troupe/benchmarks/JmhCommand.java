package io.troupe.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code jmh [JMH options] [benchmark regex...]}: hands everything after {@code jmh} to JMH's own
 * command line ({@code org.openjdk.jmh.Main}), e.g. {@code jmh CodecBenchmark -f 1 -wi 2 -i 3 -prof
 * gc}, {@code jmh -l} to list benchmarks or {@code jmh -h} for JMH's help.
 *
 * <p>Forks get {@link JvmFlags#ADD_EXPORTS} from each benchmark's {@code @Fork}; a {@code
 * -jvmArgsAppend} given here replaces it, so repeat it there if you use one.
 *
 * <p>Thread safety: a command object, run once on the main thread.
 */
@Command(
        name = "jmh",
        description = {
            "Runs JMH with the given arguments (all of them are JMH's: see 'jmh -h').",
            "Example: jmh CodecBenchmark -f 1 -wi 2 -i 3 -prof gc"
        })
final class JmhCommand implements Callable<Integer> {
    /**
     * Collected as-is: {@link BenchmarksMain} stops option parsing at the first argument it does
     * not know.
     */
    @Unmatched List<String> jmhArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        // JMH's Main reports bad arguments and failed runs itself, and exits the JVM with 1.
        Main.main(jmhArgs.toArray(String[]::new));
        return 0;
    }
}
