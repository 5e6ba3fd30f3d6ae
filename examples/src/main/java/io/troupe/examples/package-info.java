/**
 * The examples' command line ({@link io.troupe.examples.ExamplesMain}) and what the examples share:
 * the {@link io.troupe.examples.Example} contract that {@code list} and {@code tour} rely on, an
 * {@link io.troupe.examples.ExampleSystem} per run that is always shut down, and option range
 * checks that name the bad value.
 *
 * <p>Each example lives in its own package, {@code io.troupe.examples.<topic>}: a picocli command
 * ({@code XxxExample}) that prints progress and a {@code Result:} line to the command's output, and
 * its actors, each with a nested sealed {@code Command} protocol of records that the example
 * registers with {@code Troupe.get(system).register(...)}. Examples never exit the JVM; only {@code
 * ExamplesMain.main} does.
 */
package io.troupe.examples;
