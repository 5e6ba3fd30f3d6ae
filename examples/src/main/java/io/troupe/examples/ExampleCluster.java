package io.troupe.examples;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.core.TroupeConfig;
import io.troupe.remote.PoolOptions;
import io.troupe.remote.ProcessPool;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.WorkerSetup;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * What the multi-process examples share. Every run forms a cluster of its own, named {@code
 * <example>-<pid>-<run>}, so that runs never meet, whether from two terminals or one test JVM after
 * another; its first node, {@value #MAIN_NODE}, is this process, which therefore hosts the media
 * driver. Closing the run's {@link ExampleSystem} (after its {@link ProcessPool}) stops the node,
 * the driver and removes the Aeron directory.
 *
 * <p>Worker JVMs are kept small ({@link #WORKER_JVM_OPTIONS}): the examples must run on a laptop
 * with two cores, beside the IDE.
 *
 * <p>Thread safety: stateless apart from a run counter; call from any thread.
 */
public final class ExampleCluster {

    /** The node name of the process that runs an example. */
    public static final String MAIN_NODE = "main";

    /**
     * Options of every worker JVM: a small heap, and the serial collector, which starts no GC
     * threads beside the example's (one core each would be too many on two cores).
     */
    public static final List<String> WORKER_JVM_OPTIONS =
            List.of("-Xms32m", "-Xmx160m", "-XX:+UseSerialGC", "-Xss512k");

    /** How long a pool may take to start its workers before the example gives up. */
    public static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);

    private static final AtomicInteger RUNS = new AtomicInteger();

    private ExampleCluster() {}

    /**
     * @return a cluster name no other run uses: {@code <example>-<pid>-<run>}
     */
    public static String newClusterName(String example) {
        return example + "-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
    }

    /**
     * The configuration of one node: {@code troupe.remote.cluster-name} and {@code node-name} over
     * the class path's configuration (so {@code -D} overrides still apply to other keys).
     *
     * @param driverMode {@code troupe.remote.driver.mode}: {@code attach-or-launch} (the default)
     *     or {@code attach} for a node that must find a running cluster
     */
    public static Config nodeConfig(String cluster, String node, String driverMode) {
        return ConfigFactory.parseMap(
                        Map.of(
                                "troupe.remote.cluster-name", cluster,
                                "troupe.remote.node-name", node,
                                "troupe.remote.driver.mode", driverMode),
                        "example " + node + " of cluster " + cluster)
                .withFallback(ConfigFactory.load());
    }

    /**
     * The configuration of one node of a cluster across machines ({@code troupe.cluster.enabled =
     * on}): as {@link #nodeConfig}, plus {@code troupe.cluster.hostname}, {@code port} and {@code
     * seed-nodes}, built by {@link TroupeConfig#load(Config)}, which derives Akka Cluster's
     * settings from them. System properties still win (e.g. {@code
     * -Dtroupe.cluster.transport=tcp}). Create the actor system under the cluster's name: Akka
     * Cluster joins only systems of one name.
     *
     * @param host the address other machines reach this node at
     * @param port Artery's TCP port (0: any free one)
     * @param seedNodes {@code host:port} of the seed nodes
     * @throws com.typesafe.config.ConfigException if {@code troupe.cluster.*} is not valid, e.g.
     *     {@code transport = "auto"} with an address that is not loopback
     */
    public static Config clusterNodeConfig(
            String cluster,
            String node,
            String driverMode,
            String host,
            int port,
            List<String> seedNodes) {
        Map<String, Object> m = new HashMap<>();
        m.put("troupe.remote.cluster-name", cluster);
        m.put("troupe.remote.node-name", node);
        m.put("troupe.remote.driver.mode", driverMode);
        m.put("troupe.cluster.enabled", true);
        m.put("troupe.cluster.hostname", host);
        m.put("troupe.cluster.port", port);
        m.put("troupe.cluster.seed-nodes", seedNodes);
        return TroupeConfig.load(
                ConfigFactory.parseMap(m, "example " + node + " of cluster " + cluster));
    }

    /**
     * Starts the actor system of an example run as node {@value #MAIN_NODE} of a new cluster; the
     * node joins (and launches the media driver) before this returns.
     */
    public static ExampleSystem startMain(String example) {
        ExampleSystem actors =
                ExampleSystem.start(
                        example,
                        nodeConfig(newClusterName(example), MAIN_NODE, "attach-or-launch"));
        try {
            RemoteNode.get(actors.system());
            return actors;
        } catch (RuntimeException e) {
            actors.close();
            throw e;
        }
    }

    /**
     * @return {@code n} small workers that run {@code setup}, never restarted
     */
    public static PoolOptions workers(int n, Class<? extends WorkerSetup> setup) {
        return PoolOptions.workers(n)
                .withWorkerSetup(setup)
                .withJvmOptions(WORKER_JVM_OPTIONS)
                .withJoinTimeout(JOIN_TIMEOUT);
    }

    /** Launches a pool, printing where the cluster lives and how long the workers took to join. */
    public static ProcessPool launch(ExampleSystem actors, PoolOptions options, PrintWriter out) {
        RemoteNode node = RemoteNode.get(actors.system());
        out.printf(
                Locale.ROOT,
                "  this process is node '%s' of cluster '%s' (pid %d, Aeron directory %s)%n",
                node.name(),
                clusterName(actors),
                ProcessHandle.current().pid(),
                node.aeronDirectory());
        out.printf(
                Locale.ROOT,
                "  starting %d worker JVM%s...%n",
                options.workers(),
                options.workers() == 1 ? "" : "s");
        out.flush();
        long start = System.nanoTime();
        ProcessPool pool = ProcessPool.launch(actors.system(), options);
        out.printf(
                Locale.ROOT,
                "  %s joined in %.1f s%n",
                pool.workerNames().stream()
                        .map(w -> w + " (pid " + pool.pid(w) + ")")
                        .collect(Collectors.joining(", ")),
                (System.nanoTime() - start) / 1e9);
        out.flush();
        return pool;
    }

    /**
     * @return the cluster the run's node belongs to
     */
    public static String clusterName(ExampleSystem actors) {
        return actors.system().settings().config().getString("troupe.remote.cluster-name");
    }
}
