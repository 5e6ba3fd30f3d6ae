/**
 * Multi-process scenarios, named by topology ({@code OneToOneRoundTrip},
 * {@code OneToOneThroughput}, {@code ManyToOneFanIn}, {@code OneToManyFanOut}), each run in the
 * same invocation against Troupe and its baselines (raw Aeron IPC, naive Kryo over Aeron, Akka
 * Artery TCP) and printed as ratios to Troupe.
 *
 * <p>Each scenario is a subcommand of {@link io.troupe.benchmarks.BenchmarksMain} and writes its
 * measurements through {@link io.troupe.benchmarks.report.JsonReport}, so one {@code --json} file
 * format serves every benchmark. Child JVMs get {@link io.troupe.benchmarks.JvmFlags#ADD_EXPORTS}.
 */
package io.troupe.benchmarks.scenarios;
