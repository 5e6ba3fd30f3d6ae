package io.troupe.remote.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.troupe.core.TroupeConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code troupe.cluster.*} as {@code TroupeConfig.load()} turns it into Akka's settings. */
class ClusterSettingsTest {
    private static Config load(Map<String, Object> settings) {
        return TroupeConfig.load(ConfigFactory.parseMap(settings));
    }

    @Test
    void shouldLeaveAkkaAloneWhenOff() {
        Config c = load(Map.of("troupe.remote.node-name", "alpha"));
        assertEquals("local", c.getString("akka.actor.provider"));
        assertEquals(
                "io.troupe.core.dispatch.CountedMailbox",
                c.getString("akka.actor.typed.default-mailbox.mailbox-type"));
    }

    @Test
    void shouldMakeAClusterMemberNamedAfterTheNode() {
        Config c =
                load(
                        Map.of(
                                "troupe.cluster.enabled",
                                true,
                                "troupe.cluster.hostname",
                                "127.0.0.2",
                                "troupe.cluster.port",
                                25600,
                                "troupe.cluster.seed-nodes",
                                List.of("127.0.0.2:25600"),
                                "troupe.remote.cluster-name",
                                "shop",
                                "troupe.remote.node-name",
                                "alpha"));
        assertEquals("cluster", c.getString("akka.actor.provider"));
        assertEquals("tcp", c.getString("akka.remote.artery.transport"));
        assertEquals("127.0.0.2", c.getString("akka.remote.artery.canonical.hostname"));
        assertEquals(25600, c.getInt("akka.remote.artery.canonical.port"));
        assertEquals(
                List.of("akka://shop@127.0.0.2:25600"), c.getStringList("akka.cluster.seed-nodes"));
        assertEquals(List.of("troupe-node:alpha"), c.getStringList("akka.cluster.roles"));
        assertEquals(
                "akka.cluster.sbr.SplitBrainResolverProvider",
                c.getString("akka.cluster.downing-provider-class"));
        assertEquals(
                "keep-majority", c.getString("akka.cluster.split-brain-resolver.active-strategy"));
        assertEquals(
                "io.troupe.core.dispatch.CountedMailbox",
                c.getString("akka.actor.default-mailbox.mailbox-type"),
                "Troupe's own Akka settings stay");
    }

    @Test
    void shouldLetTheApplicationSetAkkasKeysItself() {
        Config c =
                load(
                        Map.of(
                                "troupe.cluster.enabled",
                                true,
                                "akka.remote.artery.canonical.port",
                                25999,
                                "akka.cluster.seed-nodes",
                                List.of("akka://other@127.0.0.1:1")));
        assertEquals(25999, c.getInt("akka.remote.artery.canonical.port"));
        assertEquals(
                List.of("akka://other@127.0.0.1:1"), c.getStringList("akka.cluster.seed-nodes"));
    }

    @Test
    void shouldRefusePlainTcpOffTheLoopbackUnlessAskedFor() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                load(
                                        Map.of(
                                                "troupe.cluster.enabled",
                                                true,
                                                "troupe.cluster.hostname",
                                                "10.1.2.3")));
        assertTrue(e.getMessage().contains("troupe.cluster.transport"), e.getMessage());
        assertTrue(e.getMessage().contains("\"10.1.2.3\""), e.getMessage());
        assertTrue(e.getMessage().contains("tls-tcp"), e.getMessage());
        Config plain =
                load(
                        Map.of(
                                "troupe.cluster.enabled", true,
                                "troupe.cluster.hostname", "10.1.2.3",
                                "troupe.cluster.transport", "tcp"));
        assertEquals("tcp", plain.getString("akka.remote.artery.transport"));
    }

    @Test
    void shouldSayWhatIsWrongWithASeedNode() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                load(
                                        Map.of(
                                                "troupe.cluster.enabled",
                                                true,
                                                "troupe.cluster.seed-nodes",
                                                List.of("seedhost"))));
        assertTrue(e.getMessage().contains("\"seedhost\""), e.getMessage());
        assertTrue(e.getMessage().contains("host:port"), e.getMessage());
    }
}
