/**
 * Troupe's benchmarks: one executable jar ({@code benchmarks/target/troupe-benchmarks.jar}) whose
 * {@link io.troupe.benchmarks.BenchmarksMain} runs JMH micro-benchmarks ({@code jmh}, {@code
 * codec}) and the multi-process harness ({@code remote}).
 *
 * <p>Every figure is printed beside its baseline measured in the same run, as a ratio, with the JVM
 * and its flags: a number without its baseline from the same machine and minute says little on a
 * small, shared machine.
 *
 * <ul>
 *   <li>{@code io.troupe.benchmarks.jmh}: what fits in one process (codec, in-process tells).
 *   <li>{@code io.troupe.benchmarks.scenarios}: what crosses processes.
 *   <li>{@code io.troupe.benchmarks.report}: tables and JSON shared by both.
 * </ul>
 */
package io.troupe.benchmarks;
