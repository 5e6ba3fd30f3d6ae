/**
 * JMH micro-benchmarks: what can be measured inside one process. Each benchmark carries its
 * baseline in the same class, so one run measures both ({@code CodecBenchmark}: Troupe's codec and
 * naive Kryo), and forks with {@link io.troupe.benchmarks.JvmFlags#ADD_EXPORTS}.
 */
package io.troupe.benchmarks.jmh;
