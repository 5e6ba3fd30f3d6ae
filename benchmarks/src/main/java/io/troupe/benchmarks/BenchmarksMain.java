package io.troupe.benchmarks;

import io.troupe.benchmarks.scenarios.RemoteCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The benchmarks' launcher: {@code java -jar benchmarks/target/troupe-benchmarks.jar <command>}.
 *
 * <ul>
 *   <li>{@code codec}: Troupe's codec beside naive Kryo, as a table of ratios ({@link
 *       CodecCommand}).
 *   <li>{@code jmh ...}: any JMH run, with JMH's own options ({@link JmhCommand}).
 *   <li>{@code remote}: the multi-process harness, Troupe beside raw Aeron and naive Kryo over
 *       Aeron in one run ({@link RemoteCommand}).
 * </ul>
 *
 * <p>Thread safety: runs on the main thread; {@link #commandLine()} builds a fresh, unshared
 * command line per call.
 */
@Command(
        name = "troupe-benchmarks",
        mixinStandardHelpOptions = true,
        version = {"Troupe benchmarks 0.1.0-SNAPSHOT", "JVM: ${java.vm.name} ${java.vm.version}"},
        description = "Troupe's benchmarks, each printed beside its baseline from the same run.",
        subcommands = {
            CodecCommand.class,
            JmhCommand.class,
            RemoteCommand.class,
            CommandLine.HelpCommand.class
        })
public final class BenchmarksMain implements Runnable {
    @Spec CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The launcher's command line, ready to {@code execute}; tests capture its output with {@code
     * setOut}.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new BenchmarksMain());
        // Everything after "jmh" is JMH's: stop parsing at the first argument picocli does not
        // know.
        cl.getSubcommands()
                .get("jmh")
                .setStopAtUnmatched(true)
                .setUnmatchedOptionsArePositionalParams(true);
        return cl;
    }

    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(),
                "Missing command: choose one of " + spec.subcommands().keySet());
    }
}
