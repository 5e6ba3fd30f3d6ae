/**
 * The multi-process harness ({@code java -jar troupe-benchmarks.jar remote}): scenarios named by
 * topology, each run in one invocation against Troupe ({@code troupe} with the default backoff idle
 * strategy, {@code troupe-low-latency} spinning), two baselines on the same Aeron setup ({@code
 * aeron-raw}: bytes only; {@code kryo-aeron}: naive Kryo) and Akka's own remoting ({@code
 * akka-artery}: Artery TCP, Jackson CBOR), with Troupe's ratio to each; and Troupe across machines
 * ({@code troupe-cluster}: two nodes in cluster mode on two loopback addresses, each with its own
 * Aeron directory, {@code ClusterRef}s over that same Artery TCP; {@link
 * io.troupe.benchmarks.scenarios.ClusterNodes}) beside {@code akka-artery}.
 *
 * <ul>
 *   <li>{@link io.troupe.benchmarks.scenarios.OneToOneThroughput}: one sender thread, one receiver
 *       in another process; msgs/s and lost messages.
 *   <li>{@link io.troupe.benchmarks.scenarios.OneToOneRoundTrip}: ask (Troupe, Artery) or ping-pong
 *       (Aeron baselines) latency percentiles, HdrHistogram.
 *   <li>{@link io.troupe.benchmarks.scenarios.FanIn}: 1, 2, 4 sender processes into one receiver in
 *       the harness; aggregate msgs/s and how it grows with the senders.
 *   <li>{@link io.troupe.benchmarks.scenarios.FanOut}: one sender thread in the harness,
 *       round-robin to 2 or 4 receiver processes; aggregate msgs/s.
 *   <li>{@link io.troupe.benchmarks.scenarios.KillToTerminated} and {@link
 *       io.troupe.benchmarks.scenarios.PoolLaunch}: failure detection and scale-out through {@code
 *       ProcessPool}.
 * </ul>
 *
 * <p>Design: the harness process is always process A and hosts the media driver, as a pool's parent
 * does; the other processes are child JVMs on the same {@code java} and class path ({@link
 * io.troupe.benchmarks.scenarios.PeerProcess} running {@link
 * io.troupe.benchmarks.scenarios.PeerMain}), started per scenario and system with a fresh Aeron
 * directory under {@code /dev/shm}. The scenarios with several peers ({@link
 * io.troupe.benchmarks.scenarios.FanGroup}, {@link io.troupe.benchmarks.scenarios.FanPeer}) drive
 * each peer with lines on its stdin and read its answers on its stdout, outside the data path;
 * peers are added as the process count grows, so no idle peer sits beside a measurement. Everything
 * is removed when the run ends, whatever happened: each child is told to leave (its stdin closes)
 * and killed by its pid if it does not, the directory and its lock file are deleted. Nothing is
 * timed that includes a JVM start, except {@code pool-launch}, whose subject it is.
 *
 * <p>Fairness to Akka: Artery drops silently once its outbound queue (3,072 messages) is full, so
 * its senders keep a window of unacknowledged messages with batched acks ({@link
 * io.troupe.benchmarks.scenarios.ArteryRemoting}) and lose nothing; its messages are plain classes
 * because Akka 2.6's Jackson cannot read records; its actor systems get {@code provider = remote}
 * through their own configuration, so the harness's Troupe systems in the same JVM are unaffected.
 * Results go through {@link io.troupe.benchmarks.report.RemoteTable} into the table and the {@code
 * --json} file.
 */
package io.troupe.benchmarks.scenarios;
