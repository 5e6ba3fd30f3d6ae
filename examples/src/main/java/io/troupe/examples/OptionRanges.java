package io.troupe.examples;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Range checks for numeric options declared with {@link Range}: applied once to the whole command
 * tree ({@link ExamplesMain#commandLine()}), so that no command repeats a check or its range. A bad
 * value is rejected while the command line is parsed, before an example starts anything; the error
 * names the option, the value given and the allowed range, and picocli prints it with the usage
 * help and exits with code 2.
 *
 * <p>Thread safety: stateless; {@link #apply} changes the given command tree, before it is used.
 */
public final class OptionRanges {
    /** Where an option's description shows its range. */
    static final String RANGE = "${RANGE}";

    private OptionRanges() {}

    /**
     * Makes every {@link Range}-annotated option of {@code root} and its subcommands check its
     * range when set (also when set to its default) and show it in place of {@code ${RANGE}}.
     *
     * @return {@code root}
     */
    public static CommandLine apply(CommandLine root) {
        describeRanges(root);
        // Checked once parsing is done, before the command runs: a ParameterException thrown here
        // is reported by execute() as a usage error (exit code 2), like one thrown while parsing.
        // Not in the options' setters: picocli resets every field to its Java initial value (0,
        // often outside the range) through them before each parse.
        IExecutionStrategy run = root.getExecutionStrategy();
        root.setExecutionStrategy(
                parseResult -> {
                    for (CommandLine cl : parseResult.asCommandLineList()) {
                        checkRanges(cl.getCommandSpec());
                    }
                    return run.execute(parseResult);
                });
        return root;
    }

    private static void describeRanges(CommandLine command) {
        CommandSpec spec = command.getCommandSpec();
        for (OptionSpec option : new ArrayList<>(spec.options())) {
            Range range = rangeOf(option);
            if (range != null
                    && String.join(
                                    "",
                                    ((AnnotatedElement) option.userObject())
                                            .getAnnotation(Option.class)
                                            .description())
                            .contains(RANGE)) {
                spec.remove(option);
                spec.addOption(described(option, range));
            }
        }
        // An alias lists the same CommandLine twice; the second visit finds nothing to write.
        command.getSubcommands().values().forEach(OptionRanges::describeRanges);
    }

    private static void checkRanges(CommandSpec spec) {
        for (OptionSpec option : spec.options()) {
            Range range = rangeOf(option);
            if (range != null && option.getValue() instanceof Integer value) {
                check(spec, option.longestName(), value, range.min(), range.max());
            }
        }
    }

    private static Range rangeOf(OptionSpec option) {
        return option.userObject() instanceof AnnotatedElement element
                ? element.getAnnotation(Range.class)
                : null;
    }

    private static OptionSpec described(OptionSpec option, Range range) {
        List<String> description = new ArrayList<>();
        // The annotation's own text: picocli's description() has already interpolated variables.
        AnnotatedElement element = (AnnotatedElement) option.userObject();
        for (String line : element.getAnnotation(Option.class).description()) {
            description.add(line.replace(RANGE, range.min() + ".." + range.max()));
        }
        return OptionSpec.builder(option).description(description.toArray(String[]::new)).build();
    }

    /**
     * @param spec the command being parsed
     * @param option the option's name as the user types it, e.g. {@code "--threads"}
     * @param value the value given
     * @param min the smallest allowed value
     * @param max the largest allowed value
     * @return {@code value}
     * @throws ParameterException if {@code value} is outside {@code min..max}
     */
    public static int check(CommandSpec spec, String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ParameterException(
                    spec.commandLine(),
                    String.format(
                            Locale.ROOT,
                            "Invalid value for option '%s': %d is outside the allowed range %d..%d",
                            option,
                            value,
                            min,
                            max));
        }
        return value;
    }
}
