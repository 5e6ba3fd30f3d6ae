package io.troupe.remote.cluster;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.testsupport.ClusterKits;
import io.troupe.remote.testsupport.TestAeronDir;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A node in cluster mode that is set up wrongly is refused at start, saying how to fix it. */
class ClusterModeSetupTest {
    @RegisterExtension final TestAeronDir machine = new TestAeronDir();

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c.getMessage()).append(" | ");
        }
        return b.toString();
    }

    @Test
    void shouldRefuseAnActorSystemNotNamedAfterTheCluster() {
        int port = ClusterKits.freePort("127.0.0.2");
        ActorTestKit kit =
                ActorTestKit.create(
                        "elsewhere",
                        ClusterKits.config(
                                machine, "127.0.0.2", port, "n1", "127.0.0.2:" + port, Map.of()));
        try {
            Throwable e = assertThrows(RuntimeException.class, () -> RemoteNode.get(kit.system()));
            String all = messages(e);
            assertTrue(all.contains("Akka Cluster joins only actor systems of one name"), all);
            assertTrue(all.contains("'elsewhere'") && all.contains("\"shop\""), all);
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void shouldRefuseAClusterProviderSetWithoutTroupeCluster() {
        ActorTestKit kit =
                ActorTestKit.create(
                        "shop",
                        ConfigFactory.parseMap(
                                        Map.of(
                                                "akka.actor.provider", "cluster",
                                                "akka.remote.artery.canonical.hostname",
                                                        "127.0.0.2",
                                                "akka.remote.artery.canonical.port", 0,
                                                "troupe.remote.cluster-name", "shop",
                                                "troupe.remote.node-name", "n2"))
                                .withFallback(machine.config()));
        try {
            Throwable e = assertThrows(RuntimeException.class, () -> RemoteNode.get(kit.system()));
            String all = messages(e);
            assertTrue(all.contains("set troupe.cluster.enabled = on"), all);
            assertTrue(all.contains("TroupeConfig.load()"), all);
        } finally {
            kit.shutdownTestKit();
        }
    }
}
