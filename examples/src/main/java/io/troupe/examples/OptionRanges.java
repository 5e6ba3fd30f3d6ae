package io.troupe.examples;

import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Range checks for numeric options, called from the options' setter methods so that a bad value is
 * rejected while the command line is parsed, before an example starts anything. The error names the
 * option, the value given and the allowed range; picocli prints it with the usage help and exits
 * with code 2.
 *
 * <p>Thread safety: stateless.
 */
public final class OptionRanges {

    private OptionRanges() {}

    /**
     * @param spec the command being parsed (its {@code @Spec} field)
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
