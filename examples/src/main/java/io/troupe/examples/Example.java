package io.troupe.examples;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * A runnable example: a picocli command whose {@code call()} runs the example, prints its progress
 * and a {@code Result:} line to the command's output, and returns the exit code (0 when the example
 * showed what it claims, 1 when it did not). {@code list} and {@code tour} find examples among
 * {@link ExamplesMain}'s subcommands by this interface, so a new example is one class plus one
 * entry in {@code ExamplesMain}'s {@code subcommands}.
 *
 * <p>Thread safety: picocli creates one instance per command line and calls it from the thread that
 * runs {@code CommandLine.execute}; instances are not shared between threads.
 */
public interface Example extends Callable<Integer> {

    /**
     * The arguments {@code tour} runs this example with: sizes small enough that the whole tour
     * finishes in well under a minute on two cores.
     *
     * @return the example's options for the tour, possibly empty (its defaults)
     */
    List<String> tourArguments();

    /**
     * Whether {@code tour} runs this example. The tour is the README's first command and must stay
     * well under a minute on two cores, so most multi-process examples (which start several JVMs)
     * opt out, as would one that waits for a person.
     *
     * @return {@code true} by default
     */
    default boolean inTour() {
        return true;
    }
}
