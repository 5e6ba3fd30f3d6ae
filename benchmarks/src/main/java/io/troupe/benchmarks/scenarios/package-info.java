/**
 * The multi-process harness ({@code java -jar troupe-benchmarks.jar remote}): scenarios named by
 * topology, each run in one invocation against Troupe ({@code troupe} with the default backoff
 * idle strategy, {@code troupe-low-latency} spinning) and two baselines on the same Aeron setup
 * ({@code aeron-raw}: bytes only; {@code kryo-aeron}: naive Kryo), with Troupe's ratio to each.
 *
 * <ul>
 *   <li>{@link io.troupe.benchmarks.scenarios.OneToOneThroughput}: one sender thread, one receiver
 *       in another process; msgs/s and lost messages.</li>
 *   <li>{@link io.troupe.benchmarks.scenarios.OneToOneRoundTrip}: ask (Troupe) or ping-pong
 *       (baselines) latency percentiles, HdrHistogram.</li>
 *   <li>{@link io.troupe.benchmarks.scenarios.KillToTerminated} and
 *       {@link io.troupe.benchmarks.scenarios.PoolLaunch}: failure detection and scale-out
 *       through {@code ProcessPool}.</li>
 * </ul>
 *
 * <p>Design: the harness process is always process A and hosts the media driver, as a pool's
 * parent does; process B is a child JVM on the same {@code java} and class path
 * ({@link io.troupe.benchmarks.scenarios.PeerProcess} running
 * {@link io.troupe.benchmarks.scenarios.PeerMain}), started per scenario and system with a fresh
 * Aeron directory under {@code /dev/shm}. Both are removed when the run ends, whatever happened:
 * the child is told to leave (its stdin closes) and killed by its pid if it does not, the
 * directory and its lock file are deleted. Nothing is timed that includes a JVM start, except
 * {@code pool-launch}, whose subject it is. Results go through
 * {@link io.troupe.benchmarks.report.RemoteTable} into the table and the {@code --json} file.
 */
package io.troupe.benchmarks.scenarios;
