package io.troupe.examples;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One in-process run of the examples' command line, with what it printed: tests call {@link
 * #of(String...)} exactly as a user types the arguments after {@code java -jar
 * troupe-examples.jar}.
 *
 * @param exitCode what {@code main} would have exited with
 * @param out what was printed to standard output
 * @param err what was printed to standard error (picocli's errors and usage)
 */
public record CommandRun(int exitCode, String out, String err) {

    private static final Pattern AERON_DIRECTORY = Pattern.compile("Aeron directory (\\S+?)\\)");

    /** Runs {@code ExamplesMain.commandLine().execute(args)}, capturing its output. */
    public static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode =
                ExamplesMain.commandLine()
                        .setOut(new PrintWriter(out, true))
                        .setErr(new PrintWriter(err, true))
                        .execute(args);
        return new CommandRun(exitCode, out.toString(), err.toString());
    }

    /**
     * @return standard output's lines
     */
    public List<String> lines() {
        return out.lines().toList();
    }

    /**
     * @return the first output line that starts with {@code prefix} (after indentation)
     */
    public Optional<String> line(String prefix) {
        return lines().stream().filter(l -> l.strip().startsWith(prefix)).findFirst();
    }

    /**
     * Asserts that a multi-process example named its Aeron directory and removed it and its {@code
     * .lock} file (by closing its media driver) before it returned; after a {@code tour}, every
     * directory named.
     */
    public void assertCleanedUp() {
        Matcher m = AERON_DIRECTORY.matcher(out);
        int named = 0;
        while (m.find()) {
            named++;
            Path dir = Path.of(m.group(1));
            for (Path left : List.of(dir, dir.resolveSibling(dir.getFileName() + ".lock"))) {
                if (Files.exists(left, LinkOption.NOFOLLOW_LINKS)) {
                    throw new AssertionError(
                            left + " is still there after the run\n" + transcript());
                }
            }
        }
        if (named == 0) {
            throw new AssertionError(
                    "the example did not print its Aeron directory\n" + transcript());
        }
    }

    /**
     * @return everything printed, for assertion messages
     */
    public String transcript() {
        return "exit code " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
}
