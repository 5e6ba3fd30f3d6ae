package io.troupe.examples;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/**
 * One in-process run of the examples' command line, with what it printed: tests call
 * {@link #of(String...)} exactly as a user types the arguments after {@code java -jar
 * troupe-examples.jar}.
 *
 * @param exitCode what {@code main} would have exited with
 * @param out what was printed to standard output
 * @param err what was printed to standard error (picocli's errors and usage)
 */
public record CommandRun(int exitCode, String out, String err) {

  /** Runs {@code new CommandLine(new ExamplesMain()).execute(args)}, capturing its output. */
  public static CommandRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = new CommandLine(new ExamplesMain())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
    return new CommandRun(exitCode, out.toString(), err.toString());
  }

  /** @return standard output's lines */
  public List<String> lines() {
    return out.lines().toList();
  }

  /** @return the first output line that starts with {@code prefix} (after indentation) */
  public Optional<String> line(String prefix) {
    return lines().stream().filter(l -> l.strip().startsWith(prefix)).findFirst();
  }

  /** @return everything printed, for assertion messages */
  public String transcript() {
    return "exit code " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
  }
}
