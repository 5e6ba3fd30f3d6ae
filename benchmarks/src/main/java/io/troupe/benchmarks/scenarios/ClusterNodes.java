package io.troupe.benchmarks.scenarios;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.core.TroupeConfig;
import io.troupe.remote.RemoteNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the {@code troupe-cluster} row sets up its Troupe nodes: each on a "machine" of its own, a
 * loopback address with its own Aeron directory, in cluster mode ({@code troupe.cluster.*}, applied
 * by {@link TroupeConfig#load}), so that the nodes reach each other only over Akka Cluster's Artery
 * TCP and the refs they look up are {@code ClusterRef}s. The harness's node ({@value
 * TroupeNodes#PARENT}) is on {@value #HARNESS_HOST}, with the harness's Aeron directory, and is the
 * seed, on a free port; peer {@code k} ({@code bench-b-<k>}) is on 127.0.0.(3 + k) (peer 0, the
 * one-to-one scenarios' only peer, on 127.0.0.3) with an Aeron directory of its own and a port the
 * OS picks. Each node launches its own media driver, idle here. The actor systems are named after
 * {@code troupe.remote.cluster-name} ({@value TroupeNodes#CLUSTER}), as Akka Cluster requires; the
 * other Troupe settings are the {@code troupe} row's ({@link TroupeNodes}).
 *
 * <p>Thread safety: stateless.
 */
final class ClusterNodes {
    /** The harness's machine. */
    static final String HARNESS_HOST = "127.0.0.2";

    /**
     * The bytes {@code ClusterDeliverySerializer} adds to the codec's around each message that
     * crosses a machine (a version byte, the node's incarnation, the actor's export id); not in the
     * tables' msg B, as Troupe's 24-byte IPC frame header is not.
     */
    static final int DELIVERY_HEADER_BYTES = 1 + 8 + 4;

    /** How long a lookup across machines waits (the other node may still be joining). */
    static final Duration LOOKUP = Duration.ofSeconds(60);

    private static final String IDLE = "backoff";

    private ClusterNodes() {}

    /** Peer {@code k}'s machine: 127.0.0.3, 127.0.0.4, ... */
    static String peerHost(int k) {
        return "127.0.0." + (3 + k);
    }

    /** Peer {@code k}'s node name. */
    static String peerName(int k) {
        return "bench-b-" + k;
    }

    /** A free TCP port on {@code host}, for the seed (which must know its port before it binds). */
    static int freePort(String host) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + host, e);
        }
    }

    /**
     * Starts the harness's node on {@value #HARNESS_HOST}:{@code port}, its own seed, with {@code
     * aeronDir}, and registers the protocols.
     */
    static ActorSystem<Void> startHarness(Path aeronDir, int port) {
        Map<String, Object> m = new LinkedHashMap<>();
        TroupeNodes.settings(aeronDir, IDLE, TroupeNodes.PARENT)
                .forEach((k, v) -> m.put("troupe.remote." + k, v));
        m.put("troupe.cluster.enabled", true);
        m.put("troupe.cluster.hostname", HARNESS_HOST);
        m.put("troupe.cluster.port", port);
        m.put("troupe.cluster.seed-nodes", List.of(HARNESS_HOST + ":" + port));
        // Only one clustered system at a time in the harness, but a test JVM may run several runs.
        m.put("akka.cluster.jmx.multi-mbeans-in-same-jvm", true);
        Config config =
                TroupeConfig.load(ConfigFactory.parseMap(m, "benchmark harness (troupe-cluster)"));
        return withProtocols(ActorSystem.create(Behaviors.empty(), TroupeNodes.CLUSTER, config));
    }

    /**
     * JVM options for peer {@code k}: its own machine and Aeron directory, joining through the
     * harness's seed at {@value #HARNESS_HOST}:{@code seedPort}.
     */
    static List<String> peerJvmOptions(Path aeronDir, int k, int seedPort) {
        List<String> options = new ArrayList<>();
        TroupeNodes.settings(aeronDir, IDLE, peerName(k))
                .forEach((key, v) -> options.add("-Dtroupe.remote." + key + "=" + v));
        options.add("-Dtroupe.cluster.enabled=on");
        options.add("-Dtroupe.cluster.hostname=" + peerHost(k));
        options.add("-Dtroupe.cluster.port=0");
        options.add("-Dtroupe.cluster.seed-nodes.0=" + HARNESS_HOST + ":" + seedPort);
        return options;
    }

    /** Starts a peer's node from its {@code -D} settings ({@link #peerJvmOptions}). */
    static ActorSystem<Void> startPeer() {
        Config config = TroupeConfig.load();
        return withProtocols(
                ActorSystem.create(
                        Behaviors.empty(), config.getString("troupe.remote.cluster-name"), config));
    }

    /** Starts the system's Troupe node with the row's protocols; stops the system if that fails. */
    private static ActorSystem<Void> withProtocols(ActorSystem<Void> system) {
        try {
            registerProtocols(RemoteNode.get(system));
        } catch (RuntimeException e) {
            TroupeNodes.stop(system);
            throw e;
        }
        return system;
    }

    /**
     * {@code ref}, once sure it is a {@code ClusterRef} (Troupe's ref across machines, over
     * Artery): anything else (e.g. a ref over IPC) would measure another path than the row says.
     */
    static <T> ActorRef<T> requireClusterRef(ActorRef<T> ref, String what) {
        String kind = Adapter.toClassic(ref).getClass().getSimpleName();
        if (!kind.equals("ClusterRef")) {
            throw new IllegalStateException(
                    "The lookup of "
                            + what
                            + " gave a "
                            + kind
                            + ", not a ClusterRef: troupe-cluster must cross machines over Artery");
        }
        return ref;
    }

    /** The {@code troupe} row's protocols and the flow control's, in the same order everywhere. */
    static void registerProtocols(RemoteNode node) {
        TroupeNodes.registerProtocols(node);
        node.register(ClusterFlow.Message.class);
    }
}
