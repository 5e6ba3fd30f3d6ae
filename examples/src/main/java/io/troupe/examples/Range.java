package io.troupe.examples;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The allowed values of an {@code int} option, declared once beside its {@code @Option}: {@link
 * OptionRanges#apply} makes the parser reject a value outside it (naming the option, the value and
 * the range) and writes it into the option's help wherever its description says {@code ${RANGE}}.
 *
 * <pre>{@code
 * @Option(names = "--workers", defaultValue = "2",
 *         description = "Worker processes, ${RANGE} (default: ${DEFAULT-VALUE}).")
 * @Range(min = 1, max = 16)
 * int workers;
 * }</pre>
 *
 * <p>Thread safety: an annotation; immutable.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface Range {
    /** The smallest allowed value. */
    int min();

    /** The largest allowed value. */
    int max();
}
