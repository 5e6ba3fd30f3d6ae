package io.troupe.examples;

import io.troupe.examples.bank.BankExample;
import io.troupe.examples.chatroom.ChatRoomExample;
import io.troupe.examples.chicken.ChickenExample;
import io.troupe.examples.dining.DiningPhilosophersExample;
import io.troupe.examples.iobound.IoBoundExample;
import io.troupe.examples.pi.PiExample;
import io.troupe.examples.pingpong.PingPongExample;
import io.troupe.examples.pipeline.PipelineExample;
import io.troupe.examples.supervision.SupervisionExample;
import io.troupe.examples.wordcount.WordCountExample;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The examples' command line: {@code java -jar troupe-examples.jar <command>}. Every example is a
 * subcommand (an {@link Example}); {@code list} and {@code tour} find them here.
 *
 * <p>Only {@link #main} exits the JVM; commands return exit codes, so tests run them in-process
 * with {@code ExamplesMain.commandLine().execute(args)}.
 *
 * <p>Thread safety: one instance per command line, used by the thread that executes it.
 */
@Command(
        name = "troupe-examples",
        mixinStandardHelpOptions = true,
        versionProvider = ExamplesMain.Version.class,
        description = {
            "Troupe's bundled examples: the concurrency story actors answer.",
            "Run 'list' to see them, 'tour' for a short selection, '<example> --help' for options."
        },
        subcommands = {
            ListCommand.class,
            TourCommand.class,
            StatCommand.class,
            // The order of list and tour: the story the README tells, example by example.
            PingPongExample.class,
            BankExample.class,
            ChickenExample.class,
            PiExample.class,
            WordCountExample.class,
            IoBoundExample.class,
            ChatRoomExample.class,
            PipelineExample.class,
            DiningPhilosophersExample.class,
            SupervisionExample.class,
            CommandLine.HelpCommand.class
        })
public final class ExamplesMain implements Callable<Integer> {

    @Spec CommandSpec spec;

    /** Without a subcommand: a usage error (exit code 2) that lists the commands. */
    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(),
                "Missing command: give one of " + String.join(", ", spec.subcommands().keySet()));
    }

    public static void main(String[] args) {
        // Start logging before any actor system does: SLF4J initialised from several threads at
        // once
        // prints a "replaying intercepted calls" warning.
        LoggerFactory.getILoggerFactory();
        CommandLine commandLine =
                commandLine()
                        // An example that fails unexpectedly prints one clear line, not a stack
                        // trace; the
                        // trace is still there with -Dtroupe.examples.trace=true.
                        .setExecutionExceptionHandler(
                                (e, cmd, parseResult) -> {
                                    cmd.getErr().println(cmd.getCommandName() + " failed: " + e);
                                    if (Boolean.getBoolean("troupe.examples.trace")) {
                                        e.printStackTrace(cmd.getErr());
                                    }
                                    cmd.getErr().flush();
                                    return cmd.getCommandSpec().exitCodeOnExecutionException();
                                });
        System.exit(commandLine.execute(args));
    }

    /**
     * The command tree, with the {@link Range}s of every command's options applied ({@link
     * OptionRanges#apply}): what {@link #main} runs, and tests too.
     */
    public static CommandLine commandLine() {
        return OptionRanges.apply(new CommandLine(new ExamplesMain()));
    }

    /** The version from the jar's Maven descriptor; a build from classes says so. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            String version = "development build";
            try (InputStream in =
                    ExamplesMain.class.getResourceAsStream(
                            "/META-INF/maven/io.troupe/troupe-examples/pom.properties")) {
                if (in != null) {
                    Properties properties = new Properties();
                    properties.load(in);
                    version = properties.getProperty("version", version);
                }
            }
            return new String[] {"Troupe examples " + version, "Java " + Runtime.version()};
        }
    }
}
