package io.troupe.examples;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tour}: runs every example that is {@linkplain Example#inTour() in the tour} with its
 * {@linkplain Example#tourArguments() small tour arguments}, one after another, exactly as if the
 * user had typed the command line it prints first. Exit code 0 when all succeeded, else 1.
 *
 * <p>Thread safety: as {@link Example}.
 */
@Command(
        name = "tour",
        mixinStandardHelpOptions = true,
        description =
                "Runs a short selection of the examples with small sizes (well under a minute).")
final class TourCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, CommandLine> examples = ListCommand.examples(spec.root().commandLine());
        List<String> failed = new ArrayList<>();
        long start = System.nanoTime();
        int ran = 0;
        int total =
                (int)
                        examples.values().stream()
                                .filter(c -> ((Example) c.getCommand()).inTour())
                                .count();
        for (Map.Entry<String, CommandLine> e : examples.entrySet()) {
            Example example = e.getValue().getCommand();
            if (!example.inTour()) {
                continue;
            }
            ran++;
            List<String> arguments = example.tourArguments();
            out.printf(
                    "%n=== %d/%d: %s %s %s%n",
                    ran, total, spec.root().name(), e.getKey(), String.join(" ", arguments));
            out.flush();
            int code = e.getValue().execute(arguments.toArray(new String[0]));
            if (code != 0) {
                failed.add(e.getKey() + " (exit code " + code + ")");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.println();
        if (failed.isEmpty()) {
            out.printf(
                    Locale.ROOT,
                    "Tour finished: %d of %d examples succeeded in %.1f s.%n",
                    ran,
                    ran,
                    seconds);
        } else {
            out.printf(
                    Locale.ROOT,
                    "Tour finished in %.1f s: %d of %d examples FAILED: %s%n",
                    seconds,
                    failed.size(),
                    ran,
                    String.join(", ", failed));
        }
        out.flush();
        return failed.isEmpty() ? 0 : 1;
    }
}
