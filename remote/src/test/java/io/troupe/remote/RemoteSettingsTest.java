package io.troupe.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.troupe.remote.RemoteSettings.DriverMode;
import io.troupe.remote.RemoteSettings.IdleStrategyKind;
import io.troupe.remote.RemoteSettings.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RemoteSettingsTest {

    private static RemoteSettings parse(String hocon) {
        return RemoteSettings.fromConfig(ConfigFactory.parseString(hocon));
    }

    private static InvalidSettingException rejected(String hocon) {
        return assertThrows(InvalidSettingException.class, () -> parse(hocon));
    }

    @Test
    void shouldReadDocumentedDefaultsWhenNothingIsOverridden() {
        RemoteSettings s = parse("");

        assertTrue(s.nodeNameGenerated());
        assertEquals("node-" + ProcessHandle.current().pid(), s.nodeName());
        assertEquals("default", s.clusterName());
        assertEquals(RemoteSettings.defaultAeronDir("default"), s.aeronDir());
        assertEquals(IdleStrategyKind.BACKOFF, s.idleStrategy());
        assertEquals(1024 * 1024, s.termLength());
        assertEquals(DriverMode.ATTACH_OR_LAUNCH, s.driver().mode());
        assertEquals(Duration.ofSeconds(5), s.driver().clientLivenessTimeout());
        assertEquals(Duration.ofSeconds(10), s.driver().driverTimeout());
        assertEquals(Duration.ofSeconds(30), s.driver().lockTimeout());
        assertEquals(Duration.ofMillis(500), s.heartbeatInterval());
        assertEquals(Duration.ofSeconds(3), s.heartbeatTimeout());
        assertEquals(Duration.ofSeconds(5), s.lookupTimeout());
        assertEquals(Duration.ofSeconds(10), s.backPressureTimeout());
        assertEquals(16 * 1024 * 1024 + 64 * 1024, s.maxMessageBytes());
    }

    @Test
    void shouldPlaceDefaultDirectoryInAPerUserDirectoryInDevShmWhenAeronDirIsEmpty() {
        RemoteSettings s = parse("troupe.remote.cluster-name = blue");

        String user = System.getProperty("user.name");
        Path expectedBase =
                Files.isDirectory(Path.of("/dev/shm"))
                        ? Path.of("/dev/shm")
                        : Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        assertEquals(expectedBase.resolve("troupe-" + user).resolve("blue"), s.aeronDir());
        assertEquals(expectedBase.resolve("troupe-" + user).resolve("blue.lock"), s.lockFile());
    }

    @Test
    void shouldUseConfiguredValuesWhenOverridden() {
        RemoteSettings s =
                parse(
                        """
                troupe.remote {
                  node-name = alpha
                  aeron-dir = "/tmp/some/dir"
                  idle-strategy = low-latency
                  term-length = 64k
                  driver { mode = attach, driver-timeout = 4s, lock-timeout = 9s }
                  max-message-bytes = 32m
                }""");

        assertEquals("alpha", s.nodeName());
        assertFalse(s.nodeNameGenerated());
        assertEquals(Path.of("/tmp/some/dir"), s.aeronDir());
        assertEquals(Path.of("/tmp/some/dir.lock"), s.lockFile());
        assertEquals(IdleStrategyKind.LOW_LATENCY, s.idleStrategy());
        assertEquals(64 * 1024, s.termLength());
        assertEquals(DriverMode.ATTACH, s.driver().mode());
        assertEquals(Duration.ofSeconds(4), s.driver().driverTimeout());
        assertEquals(32 * 1024 * 1024, s.maxMessageBytes());
    }

    @Test
    void shouldQuoteKeyValueOriginAndFixWhenTermLengthIsNotAPowerOfTwo() {
        InvalidSettingException e = rejected("troupe.remote.term-length = 1000");

        assertEquals("term-length", e.key());
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "troupe.remote.term-length = 1000 is not a power of two between 64 KiB "
                                        + "and 1 GiB: set it to e.g. 1m (set in"),
                e.getMessage());
    }

    @Test
    void shouldRejectTermLengthWhenAboveOneGibiByte() {
        InvalidSettingException e = rejected("troupe.remote.term-length = 4g");

        assertTrue(
                e.getMessage()
                        .startsWith("troupe.remote.term-length = 4294967296 is not a power of two"),
                e.getMessage());
    }

    @Test
    void shouldListAllowedValuesWhenIdleStrategyIsUnknown() {
        InvalidSettingException e = rejected("troupe.remote.idle-strategy = spin");

        assertTrue(
                e.getMessage()
                        .startsWith(
                                "troupe.remote.idle-strategy = \"spin\" is not one of \"backoff\", "
                                        + "\"low-latency\", \"sleeping\": set it to one of them"),
                e.getMessage());
    }

    @Test
    void shouldListAllowedValuesWhenDriverModeIsUnknown() {
        InvalidSettingException e = rejected("troupe.remote.driver.mode = launch");

        assertEquals("driver.mode", e.key());
        assertTrue(
                e.getMessage()
                        .contains(
                                "troupe.remote.driver.mode = \"launch\" is not one of \"attach-or-launch\", "
                                        + "\"attach\", \"embedded\""),
                e.getMessage());
    }

    @Test
    void shouldRejectMaxMessageBytesWhenBelowSixteenMebibytes() {
        InvalidSettingException e = rejected("troupe.remote.max-message-bytes = 1m");

        assertTrue(
                e.getMessage()
                        .startsWith(
                                "troupe.remote.max-message-bytes = 1048576 is not between 16 MiB and 1 GiB"),
                e.getMessage());
    }

    @Test
    void shouldRejectHeartbeatTimeoutWhenShorterThanTwoIntervals() {
        InvalidSettingException e =
                rejected("troupe.remote { heartbeat-interval = 1s, heartbeat-timeout = 1500ms }");

        assertTrue(
                e.getMessage()
                        .startsWith(
                                "troupe.remote.heartbeat-timeout = 1500ms is less than 2 x "
                                        + "heartbeat-interval (1s)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("set it to at least 2s"), e.getMessage());
    }

    @Test
    void shouldRejectDriverTimeoutWhenShorterThanThreeSeconds() {
        InvalidSettingException e = rejected("troupe.remote.driver.driver-timeout = 1s");

        assertTrue(
                e.getMessage()
                        .startsWith(
                                "troupe.remote.driver.driver-timeout = 1s is not between 3s and 3600s"),
                e.getMessage());
    }

    @Test
    void shouldRejectLockTimeoutWhenNotLongerThanDriverTimeout() {
        InvalidSettingException e =
                rejected("troupe.remote.driver { driver-timeout = 10s, lock-timeout = 10s }");

        assertTrue(
                e.getMessage()
                        .startsWith(
                                "troupe.remote.driver.lock-timeout = 10s is not more than "
                                        + "driver.driver-timeout (10s)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("set it to e.g. 30s"), e.getMessage());
    }

    @Test
    void shouldRejectNodeNameWhenItHasCharactersOutsideTheAllowedSet() {
        InvalidSettingException e = rejected("troupe.remote.node-name = \"my node\"");

        assertTrue(
                e.getMessage()
                        .startsWith(
                                "troupe.remote.node-name = \"my node\" is not 1 to 63 characters"),
                e.getMessage());
    }

    @Test
    void shouldNameTheKeyWhenAValueHasTheWrongType() {
        InvalidSettingException e = rejected("troupe.remote.lookup-timeout = soon");

        assertTrue(e.getMessage().contains("lookup-timeout"), e.getMessage());
        assertTrue(e.getMessage().contains("reference.conf"), e.getMessage());
    }

    @Test
    void shouldPreferSystemPropertiesWhenLoadedWithOverrides() {
        System.setProperty("troupe.remote.cluster-name", "from-sysprop");
        try {
            ConfigFactory.invalidateCaches();
            assertEquals("from-sysprop", RemoteSettings.load().clusterName());
        } finally {
            System.clearProperty("troupe.remote.cluster-name");
            ConfigFactory.invalidateCaches();
        }
    }
}
