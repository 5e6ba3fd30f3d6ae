package io.troupe.remote.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aeron.AeronVersion;
import io.aeron.CncFileDescriptor;
import io.troupe.remote.RemoteSettings;
import io.troupe.remote.testsupport.TestAeronDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.agrona.SemanticVersion;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 7 item 4: an Aeron directory set up by an incompatible version is refused with a message
 * that says what was found, what was expected and how to fix it, while one whose driver is gone is
 * removed like any other leftover. Real directories, real drivers, one JVM (the lock registry makes
 * that sound, as in {@link MediaDriversTest}).
 */
class LayoutMarkerTest {
    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();
    private final List<DriverHandle> handles = new ArrayList<>();

    @AfterEach
    void closeDrivers() {
        for (int i = handles.size() - 1; i >= 0; i--) {
            handles.get(i).close();
        }
    }

    private DriverHandle start(RemoteSettings settings) {
        DriverHandle handle = MediaDrivers.start(settings);
        handles.add(handle);
        return handle;
    }

    private static void writeMarker(Path dir, String wire, String aeron, String cnc)
            throws IOException {
        Files.writeString(
                dir.resolve(LayoutMarker.FILE),
                "troupe.layout-version=1\ntroupe.wire-version="
                        + wire
                        + "\naeron.version="
                        + aeron
                        + "\naeron.cnc-version="
                        + cnc
                        + "\n",
                StandardCharsets.UTF_8);
    }

    /**
     * A leftover as a crashed process of another Aeron would leave it: a private directory and an
     * initialised cnc.dat.
     */
    private static void leftover(Path dir, int cncVersion) throws IOException {
        Files.createDirectory(
                dir,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        byte[] cnc = new byte[CncFileDescriptor.END_OF_METADATA_OFFSET + 4096];
        new UnsafeBuffer(cnc).putInt(CncFileDescriptor.cncVersionOffset(0), cncVersion);
        Files.write(dir.resolve(CncFileDescriptor.CNC_FILE), cnc);
    }

    @Test
    void shouldWriteTheMarkerOfThisVersionWhenLaunchingADriver() throws IOException {
        assertTrue(start(aeronDir.settings()).hostsDriver());
        Path file = aeronDir.path().resolve(LayoutMarker.FILE);
        assertEquals(LayoutMarker.current(), LayoutMarker.read(aeronDir.path()).orElseThrow());
        assertEquals(
                "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String text = Files.readString(file);
        assertTrue(
                text.contains("aeron.version=" + AeronVersion.VERSION)
                        && text.contains("troupe.wire-version=" + LayoutMarker.WIRE_VERSION),
                text);
    }

    @Test
    void shouldRefuseALiveDirectoryOfAnIncompatibleTroupeWireVersion() throws IOException {
        RemoteSettings settings = aeronDir.settings();
        assertTrue(start(settings).hostsDriver());
        writeMarker(
                aeronDir.path(),
                "99",
                AeronVersion.VERSION,
                SemanticVersion.toString(CncFileDescriptor.CNC_VERSION));

        DriverException e = assertThrows(DriverException.class, () -> start(settings));

        String m = e.getMessage();
        assertTrue(m.contains("Refusing the Aeron directory " + aeronDir.path()), m);
        assertTrue(
                m.contains("wire version 99 (this one speaks " + LayoutMarker.WIRE_VERSION + ")"),
                m);
        assertTrue(
                m.contains("Found Troupe wire 99")
                        && m.contains(
                                "needs Troupe wire "
                                        + LayoutMarker.WIRE_VERSION
                                        + ", Aeron "
                                        + AeronVersion.VERSION),
                m);
        assertTrue(m.contains("a Troupe process hosts its driver"), m);
        assertTrue(
                m.contains("troupe.remote.aeron-dir")
                        && m.contains("remove it and " + aeronDir.lockFile()),
                m);
        assertTrue(
                Files.exists(aeronDir.path().resolve(CncFileDescriptor.CNC_FILE)),
                "a live directory is left alone");
    }

    @Test
    void shouldRefuseALiveDirectoryOfAnotherAeronMinorRelease() throws IOException {
        RemoteSettings settings = aeronDir.settings();
        assertTrue(start(settings).hostsDriver());
        writeMarker(
                aeronDir.path(),
                Integer.toString(LayoutMarker.WIRE_VERSION),
                "1.44.1",
                SemanticVersion.toString(CncFileDescriptor.CNC_VERSION));

        DriverException e = assertThrows(DriverException.class, () -> start(settings));

        assertTrue(
                e.getMessage()
                        .contains(
                                "set up with Aeron 1.44.1 (this process uses Aeron "
                                        + AeronVersion.VERSION),
                e.getMessage());
    }

    @Test
    void shouldRemoveALeftoverOfAnIncompatibleVersionWhoseHostIsGoneAndLaunch() throws IOException {
        Path dir = aeronDir.path();
        leftover(dir, SemanticVersion.compose(99, 0, 0));
        writeMarker(dir, "99", "9.9.9", "99.0.0");
        Files.writeString(dir.resolve("stale-log-of-the-old-run"), "x");

        DriverHandle handle = start(aeronDir.settings());

        assertTrue(handle.hostsDriver());
        assertFalse(
                Files.exists(dir.resolve("stale-log-of-the-old-run")),
                "the leftover was removed before the launch");
        assertEquals(LayoutMarker.current(), LayoutMarker.read(dir).orElseThrow());
    }

    @Test
    void shouldRefuseADirectoryNotSetUpByTroupeWhoseCncFileThisAeronCannotRead()
            throws IOException {
        Path dir = aeronDir.path();
        leftover(dir, SemanticVersion.compose(99, 0, 0));

        DriverException e = assertThrows(DriverException.class, () -> start(aeronDir.settings()));

        String m = e.getMessage();
        assertTrue(m.contains("its cnc.dat has CnC version 99.0.0"), m);
        assertTrue(m.contains("Found no Troupe marker, cnc.dat version 99.0.0"), m);
        assertTrue(m.contains("whether its driver still runs cannot be told"), m);
        assertTrue(m.contains("remove it and " + aeronDir.lockFile()), m);
        assertTrue(
                Files.exists(dir.resolve(CncFileDescriptor.CNC_FILE)),
                "a directory that may be in use is left alone");
        assertFalse(
                Files.exists(aeronDir.lockFile()),
                "the refused start left no lock file of its own");
    }
}
