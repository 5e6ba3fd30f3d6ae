package io.troupe.remote.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.troupe.core.TroupeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code troupe.cluster.*} as {@code TroupeConfig.load()} turns it into Akka's settings. */
class ClusterSettingsTest {
    @TempDir static Path dir;
    private static TestKeyStores stores;

    @BeforeAll
    static void makeStores() throws Exception {
        stores = TestKeyStores.create(dir);
    }

    private static Config load(Map<String, Object> settings) {
        return TroupeConfig.load(ConfigFactory.parseMap(settings));
    }

    /** A cluster node on 10.1.2.3 with tls-tcp and the good stores, with {@code overrides}. */
    private static Map<String, Object> tls(Object... overrides) {
        Map<String, Object> m = new HashMap<>();
        m.put("troupe.cluster.enabled", true);
        m.put("troupe.cluster.hostname", "10.1.2.3");
        m.put("troupe.cluster.transport", "tls-tcp");
        m.put("troupe.cluster.tls.key-store", stores.member.toString());
        m.put("troupe.cluster.tls.key-store-password", TestKeyStores.PASSWORD);
        m.put("troupe.cluster.tls.trust-store", stores.trust.toString());
        m.put("troupe.cluster.tls.trust-store-password", TestKeyStores.PASSWORD);
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            m.put((String) overrides[i], overrides[i + 1]);
        }
        return m;
    }

    /** The BadValue that loading {@code settings} fails with. */
    private static ConfigException.BadValue refused(Map<String, Object> settings) {
        return assertThrows(ConfigException.BadValue.class, () -> load(settings));
    }

    private static void assertMentions(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(
                    e.getMessage().contains(part), () -> "no <" + part + "> in: " + e.getMessage());
        }
    }

    private static final String ENGINE = "akka.remote.artery.ssl.config-ssl-engine.";

    @Test
    void shouldMapTlsToAkkasConfigSslEngineWithMutualAuthentication() {
        Config c = load(tls());
        assertEquals("tls-tcp", c.getString("akka.remote.artery.transport"));
        assertEquals(
                "akka.remote.artery.tcp.ConfigSSLEngineProvider",
                c.getString("akka.remote.artery.ssl.ssl-engine-provider"));
        assertEquals(stores.member.toString(), c.getString(ENGINE + "key-store"));
        assertEquals(TestKeyStores.PASSWORD, c.getString(ENGINE + "key-store-password"));
        assertEquals(
                TestKeyStores.PASSWORD,
                c.getString(ENGINE + "key-password"),
                "\"\" = the key store's password");
        assertEquals(stores.trust.toString(), c.getString(ENGINE + "trust-store"));
        assertEquals(TestKeyStores.PASSWORD, c.getString(ENGINE + "trust-store-password"));
        assertEquals("TLSv1.3", c.getString(ENGINE + "protocol"));
        assertEquals(
                List.of(
                        "TLS_AES_256_GCM_SHA384",
                        "TLS_AES_128_GCM_SHA256",
                        "TLS_CHACHA20_POLY1305_SHA256"),
                c.getStringList(ENGINE + "enabled-algorithms"));
        assertTrue(c.getBoolean(ENGINE + "require-mutual-authentication"));
        assertFalse(c.getBoolean(ENGINE + "hostname-verification"));
        assertMentions(
                new Exception(ClusterSettings.describeTransport(c)),
                "TLS-TCP with mutual authentication",
                "TLSv1.3",
                stores.member.toString());

        Config custom =
                load(
                        tls(
                                "troupe.cluster.tls.protocol",
                                "TLSv1.2",
                                "troupe.cluster.tls.enabled-algorithms",
                                List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
                                "troupe.cluster.tls.key-password",
                                TestKeyStores.PASSWORD,
                                "troupe.cluster.tls.hostname-verification",
                                true));
        assertEquals("TLSv1.2", custom.getString(ENGINE + "protocol"));
        assertEquals(
                List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
                custom.getStringList(ENGINE + "enabled-algorithms"));
        assertTrue(custom.getBoolean(ENGINE + "hostname-verification"));
    }

    @Test
    void shouldResolveARelativeStorePathAgainstTheWorkingDirectory() {
        Path cwd = Path.of("").toAbsolutePath();
        String relative = cwd.relativize(stores.member).toString();
        Config c = load(tls("troupe.cluster.tls.key-store", relative));
        assertEquals(stores.member.toString(), c.getString(ENGINE + "key-store"));
    }

    @Test
    void shouldLeaveTlsAloneWithoutTlsTcp() {
        Config c =
                load(
                        Map.of(
                                "troupe.cluster.enabled",
                                true,
                                "troupe.cluster.tls.key-store",
                                "/nowhere/node.p12"));
        assertEquals("tcp", c.getString("akka.remote.artery.transport"));
        assertEquals("keystore", c.getString(ENGINE + "key-store"), "Akka's default");
        assertMentions(
                new Exception(ClusterSettings.describeTransport(c)),
                "plain TCP on the loopback",
                "\"auto\"");
        Config plain =
                load(
                        Map.of(
                                "troupe.cluster.enabled", true,
                                "troupe.cluster.hostname", "10.1.2.3",
                                "troupe.cluster.transport", "tcp"));
        assertMentions(
                new Exception(ClusterSettings.describeTransport(plain)),
                "plain TCP, unencrypted, by explicit choice");
    }

    @Test
    void shouldLeaveAnApplicationsOwnSslEngineProviderAlone() {
        Map<String, Object> settings =
                tls("akka.remote.artery.ssl.ssl-engine-provider", "com.example.MyProvider");
        settings.remove("troupe.cluster.tls.key-store");
        settings.remove("troupe.cluster.tls.trust-store");
        Config c = load(settings);
        assertEquals("tls-tcp", c.getString("akka.remote.artery.transport"));
        assertEquals(
                "com.example.MyProvider",
                c.getString("akka.remote.artery.ssl.ssl-engine-provider"));
        assertMentions(
                new Exception(ClusterSettings.describeTransport(c)), "com.example.MyProvider");
    }

    @Test
    void shouldRefuseTlsWithoutAKeyStoreAndSayHowToMakeOne() {
        ConfigException.BadValue e = refused(tls("troupe.cluster.tls.key-store", ""));
        assertMentions(
                e,
                "troupe.cluster.tls.key-store",
                "is \"\"",
                "tls-tcp",
                "keytool -genkeypair",
                "key-store-password");
    }

    @Test
    void shouldRefuseAKeyStoreThatIsNotThere() {
        String missing = dir.resolve("no-such.p12").toString();
        ConfigException.BadValue e = refused(tls("troupe.cluster.tls.key-store", missing));
        assertMentions(
                e,
                "troupe.cluster.tls.key-store",
                missing,
                "does not exist",
                "keytool -genkeypair");
        ConfigException.BadValue dirInstead =
                refused(tls("troupe.cluster.tls.key-store", dir.toString()));
        assertMentions(dirInstead, "troupe.cluster.tls.key-store", "is not a file");
    }

    @Test
    void shouldRefuseAWrongPasswordWithoutShowingIt() {
        ConfigException.BadValue e =
                refused(tls("troupe.cluster.tls.key-store-password", "wrong-secret"));
        assertMentions(e, "troupe.cluster.tls.key-store-password", stores.member.toString());
        assertFalse(e.getMessage().contains("wrong-secret"), e.getMessage());
        ConfigException.BadValue trust =
                refused(tls("troupe.cluster.tls.trust-store-password", "wrong-secret"));
        assertMentions(trust, "troupe.cluster.tls.trust-store-password", stores.trust.toString());
        assertFalse(trust.getMessage().contains("wrong-secret"), trust.getMessage());
        ConfigException.BadValue key =
                refused(tls("troupe.cluster.tls.key-password", "wrong-secret"));
        assertMentions(key, "troupe.cluster.tls.key-password", "private key");
        assertFalse(key.getMessage().contains("wrong-secret"), key.getMessage());
    }

    @Test
    void shouldRefuseATrustStoreAsKeyStore() {
        ConfigException.BadValue e =
                refused(tls("troupe.cluster.tls.key-store", stores.trust.toString()));
        assertMentions(e, "troupe.cluster.tls.key-store", "holds no private key", "keytool");
    }

    @Test
    void shouldRefuseTlsWithoutATrustStoreAndSayHowToMakeOne() {
        ConfigException.BadValue e = refused(tls("troupe.cluster.tls.trust-store", ""));
        assertMentions(
                e,
                "troupe.cluster.tls.trust-store",
                "keytool -exportcert",
                "keytool -importcert",
                "trust-store-password");
        String missing = dir.resolve("no-trust.p12").toString();
        assertMentions(
                refused(tls("troupe.cluster.tls.trust-store", missing)),
                "troupe.cluster.tls.trust-store",
                missing,
                "does not exist");
    }

    @Test
    void shouldRefuseAFileThatIsNoKeyStore() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.p12"), "not a key store");
        ConfigException.BadValue e =
                refused(tls("troupe.cluster.tls.trust-store", garbage.toString()));
        assertMentions(
                e,
                "troupe.cluster.tls.trust-store",
                garbage.toString(),
                "cannot be read as a key store");
    }

    @Test
    void shouldRefuseAProtocolOrCipherSuiteTheJvmDoesNotKnow() {
        assertMentions(
                refused(tls("troupe.cluster.tls.protocol", "TLSv9")),
                "troupe.cluster.tls.protocol",
                "\"TLSv9\"");
        assertMentions(
                refused(tls("troupe.cluster.tls.enabled-algorithms", List.of("TLS_NO_SUCH_SUITE"))),
                "troupe.cluster.tls.enabled-algorithms",
                "TLS_NO_SUCH_SUITE");
        assertMentions(
                refused(tls("troupe.cluster.tls.enabled-algorithms", List.of())),
                "troupe.cluster.tls.enabled-algorithms",
                "is empty");
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
        // Seeds are joined by RemoteNode once it is ready, not by Akka as the system starts.
        assertEquals(List.of(), c.getStringList("akka.cluster.seed-nodes"));
        assertEquals(List.of("akka://shop@127.0.0.2:25600"), ClusterSettings.seedNodes(c));
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

    @Test
    void shouldBoundTheRemotingShutdownTimeout() {
        Map<String, Object> on = Map.of("troupe.cluster.enabled", true);
        assertEquals(
                Duration.ofSeconds(5),
                ClusterSettings.remotingShutdownTimeout(load(on)),
                "default");
        for (String bad : List.of("0s", "500ms", "6m")) {
            ConfigException.BadValue e =
                    refused(
                            Map.of(
                                    "troupe.cluster.enabled",
                                    true,
                                    "troupe.cluster.remoting-shutdown-timeout",
                                    bad));
            assertMentions(
                    e,
                    "troupe.cluster.remoting-shutdown-timeout",
                    "is " + bad + ";",
                    "between 1s and 5m");
        }
        assertEquals(
                Duration.ofMinutes(5),
                ClusterSettings.remotingShutdownTimeout(
                        load(
                                Map.of(
                                        "troupe.cluster.enabled",
                                        true,
                                        "troupe.cluster.remoting-shutdown-timeout",
                                        "5m"))));
    }
}
