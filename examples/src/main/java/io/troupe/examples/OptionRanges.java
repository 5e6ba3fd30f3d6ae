package io.troupe.examples;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
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
        CommandSpec spec = root.getCommandSpec();
        for (OptionSpec option : new ArrayList<>(spec.options())) {
            if (option.userObject() instanceof AnnotatedElement element
                    && element.getAnnotation(Range.class) != null) {
                Range range = element.getAnnotation(Range.class);
                spec.remove(option);
                spec.addOption(checked(spec, option, element, range));
            }
        }
        // An alias lists the same CommandLine twice; the second visit finds no annotated element
        // (a checked option's user object is no longer one) and changes nothing.
        root.getSubcommands().values().forEach(OptionRanges::apply);
        return root;
    }

    private static OptionSpec checked(
            CommandSpec spec, OptionSpec option, AnnotatedElement element, Range range) {
        ISetter original = option.setter();
        String name = option.longestName();
        ISetter check =
                new ISetter() {
                    @Override
                    public <T> T set(T value) throws Exception {
                        check(spec, name, (Integer) value, range.min(), range.max());
                        return original.set(value);
                    }
                };
        List<String> description = new ArrayList<>();
        // The annotation's own text: picocli's description() has already interpolated variables.
        for (String line : element.getAnnotation(Option.class).description()) {
            description.add(line.replace(RANGE, range.min() + ".." + range.max()));
        }
        return OptionSpec.builder(option)
                .setter(check)
                .description(description.toArray(String[]::new))
                .userObject(new Object()) // applied: a second apply leaves it alone
                .build();
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
