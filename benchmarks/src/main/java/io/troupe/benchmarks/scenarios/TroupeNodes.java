package io.troupe.benchmarks.scenarios;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.benchmarks.jmh.Payload;
import io.troupe.remote.RemoteNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * How the harness sets up the two Troupe nodes of a scenario: the harness's own node ({@value
 * #PARENT}, started first, so it launches and hosts the media driver as a {@code ProcessPool}
 * parent would) and the peer's ({@value #PEER}, attached to that driver). Both use the same
 * cluster, Aeron directory and idle strategy, and Troupe's defaults otherwise (1 MiB terms, one
 * shared driver thread).
 *
 * <p>Thread safety: stateless.
 */
final class TroupeNodes {
    static final String PARENT = "bench-a";
    static final String PEER = "bench-b";
    static final String CLUSTER = "bench";

    /**
     * Troupe's per-frame header on the wire (remote's internal {@code Wire.HEADER_LENGTH}), taken
     * off measured frame sizes.
     */
    static final int FRAME_HEADER_BYTES = 24;

    private static final Duration SHUTDOWN = Duration.ofSeconds(30);
    static final String OUTBOUND_QUEUE_BYTES = "512MiB";
    static final String BACK_PRESSURE_TIMEOUT = "120s";

    private TroupeNodes() {}

    /** The {@code troupe.remote} keys that differ from reference.conf for a node of this run. */
    static Map<String, String> settings(Path aeronDir, String idleStrategy, String nodeName) {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("node-name", nodeName);
        kv.put("cluster-name", CLUSTER);
        kv.put("aeron-dir", aeronDir.toString());
        kv.put("idle-strategy", idleStrategy);
        // A round offers its 2,000,000 messages as fast as the sender can, and the receiver's
        // mailbox
        // limit pushes the backlog back to the sender: room for a whole round (~57 B each) and time
        // for a
        // cold (warm-up) or starved receiver to take it, so the figure is throughput, not the drop
        // policy.
        kv.put("outbound-queue-bytes", OUTBOUND_QUEUE_BYTES);
        kv.put("back-pressure-timeout", BACK_PRESSURE_TIMEOUT);
        return kv;
    }

    /** Starts the harness's node (hosting the driver) and registers the benchmark protocols. */
    static ActorSystem<Void> startParent(
            String systemName, Path aeronDir, String idleStrategy, String nodeName) {
        return startParent(systemName, aeronDir, idleStrategy, nodeName, Map.of());
    }

    /** The same, with more {@code troupe.remote} keys set ({@code extra}, without the prefix). */
    static ActorSystem<Void> startParent(
            String systemName,
            Path aeronDir,
            String idleStrategy,
            String nodeName,
            Map<String, String> extra) {
        Map<String, String> overrides = new LinkedHashMap<>();
        settings(aeronDir, idleStrategy, nodeName)
                .forEach((k, v) -> overrides.put("troupe.remote." + k, v));
        extra.forEach((k, v) -> overrides.put("troupe.remote." + k, v));
        Config config =
                ConfigFactory.parseMap(overrides, "benchmark harness")
                        .withFallback(ConfigFactory.load());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), systemName, config);
        try {
            registerProtocols(RemoteNode.get(system));
        } catch (RuntimeException e) {
            stop(system);
            throw e;
        }
        return system;
    }

    /**
     * Ends {@code peer} (if started) first, so it leaves while the driver it attached to still
     * runs, then {@code actors}.
     */
    static void stopAfter(PeerProcess peer, ActorSystem<?> actors) {
        try {
            if (peer != null) {
                peer.close();
            }
        } finally {
            stop(actors);
        }
    }

    /**
     * JVM options for the peer node: same cluster, directory and idle strategy, attached to the
     * harness's driver.
     */
    static List<String> peerJvmOptions(Path aeronDir, String idleStrategy) {
        return peerJvmOptions(aeronDir, idleStrategy, PEER);
    }

    /** The same for a peer named {@code nodeName} (one of several). */
    static List<String> peerJvmOptions(Path aeronDir, String idleStrategy, String nodeName) {
        List<String> options = new ArrayList<>();
        settings(aeronDir, idleStrategy, nodeName)
                .forEach((k, v) -> options.add("-Dtroupe.remote." + k + "=" + v));
        options.add("-Dtroupe.remote.driver.mode=attach");
        return options;
    }

    /** Both nodes register the same protocols: what is sent must be registered at both ends. */
    static void registerProtocols(RemoteNode node) {
        node.register(Payload.Small.class);
        node.register(Sink.Command.class);
        node.register(Echo.Command.class);
    }

    /** Terminates the actor system (its node leaves; a hosted driver closes) and waits for it. */
    static void stop(ActorSystem<?> system) {
        system.terminate();
        try {
            system.getWhenTerminated()
                    .toCompletableFuture()
                    .get(SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Actor system "
                            + system.name()
                            + " did not terminate within "
                            + SHUTDOWN.toMillis()
                            + " ms",
                    e);
        }
    }

    /** Waits for a stage with a deadline, naming what was awaited when it fails. */
    static <T> T await(CompletionStage<T> stage, Duration timeout, String what) {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + what, e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    what + " failed or timed out after " + timeout.toMillis() + " ms: " + e, e);
        }
    }
}
