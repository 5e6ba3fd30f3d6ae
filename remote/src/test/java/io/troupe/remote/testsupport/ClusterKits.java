package io.troupe.remote.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.core.TroupeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Troupe nodes in cluster mode, one actor system each, in the test's JVM: "machines" are loopback
 * addresses (127.0.0.2, 127.0.0.3, ...) each with its own Aeron directory, joined by Akka Cluster
 * over Artery on free ports. Registered as a JUnit extension, it shuts every kit down after each
 * test, the last started first.
 *
 * <p>Thread safety: the test thread only.
 */
public final class ClusterKits implements AfterEachCallback {
    /** The actor system's name, and the Troupe cluster's. */
    public static final String CLUSTER = "shop";

    private final List<ActorTestKit> kits = new ArrayList<>();

    /** A free TCP port on {@code host} (a loopback address). */
    public static int freePort(String host) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The config of node {@code name} on {@code machine} (its Aeron directory) at {@code
     * host:port}, joining through {@code seed} ("host:port"), with {@code extra} over it.
     */
    public static Config config(
            TestAeronDir machine,
            String host,
            int port,
            String name,
            String seed,
            Map<String, Object> extra) {
        Map<String, Object> m = new HashMap<>();
        m.put("troupe.remote.aeron-dir", machine.path().toString());
        m.put("troupe.remote.cluster-name", CLUSTER);
        m.put("troupe.remote.node-name", name);
        m.put("troupe.cluster.enabled", true);
        m.put("troupe.cluster.hostname", host);
        m.put("troupe.cluster.port", port);
        m.put("troupe.cluster.seed-nodes", List.of(seed));
        m.put("akka.cluster.jmx.multi-mbeans-in-same-jvm", true);
        m.putAll(extra);
        return TroupeConfig.load(ConfigFactory.parseMap(m));
    }

    /** Starts a node (see {@link #config}); it is shut down after the test. */
    public ActorTestKit start(
            TestAeronDir machine, String host, int port, String name, String seed) {
        return start(machine, host, port, name, seed, Map.of());
    }

    /** Starts a node (see {@link #config}) with extra settings. */
    public ActorTestKit start(
            TestAeronDir machine,
            String host,
            int port,
            String name,
            String seed,
            Map<String, Object> extra) {
        ActorTestKit kit =
                ActorTestKit.create(CLUSTER, config(machine, host, port, name, seed, extra));
        kits.add(kit);
        return kit;
    }

    /** Waits until every running node sees {@code n} members up. */
    public void awaitMembersUp(int n, Duration deadline) {
        for (ActorTestKit k : kits) {
            if (k.system().whenTerminated().isCompleted()) {
                continue;
            }
            TestProbe<Object> waiter = k.createTestProbe();
            waiter.awaitAssert(
                    deadline,
                    () -> {
                        assertEquals(
                                n, membersUp(k), "members up as seen by " + k.system().address());
                        return null;
                    });
        }
    }

    /** How many members {@code kit}'s node sees up. */
    public static long membersUp(ActorTestKit kit) {
        return StreamSupport.stream(
                        Cluster.get(kit.system()).state().getMembers().spliterator(), false)
                .filter(m -> m.status() == MemberStatus.up())
                .count();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (int i = kits.size() - 1; i >= 0; i--) {
            kits.get(i).shutdownTestKit();
        }
        kits.clear();
    }
}
