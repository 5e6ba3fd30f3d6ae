package io.troupe.remote.driver;

import io.aeron.CommonContext;
import io.troupe.remote.RemoteSettings;
import io.troupe.remote.RemoteSettings.DriverMode;
import io.troupe.remote.testsupport.TestAeronDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** In-process driver lifecycle: one JVM plays every process (the lock registry makes that sound). */
class MediaDriversTest {
    @RegisterExtension
    final TestAeronDir aeronDir = new TestAeronDir();
    @RegisterExtension
    final TestAeronDir otherDir = new TestAeronDir();
    private final List<DriverHandle> handles = new ArrayList<>();

    @AfterEach
    void closeDrivers() {
        // attached handles first, so the hosted driver outlives its clients
        for (int i = handles.size() - 1; i >= 0; i--) {
            handles.get(i).close();
        }
    }

    private DriverHandle start(RemoteSettings settings) {
        DriverHandle handle = MediaDrivers.start(settings);
        handles.add(handle);
        return handle;
    }

    private static boolean driverActive(Path dir) {
        return CommonContext.isDriverActive(dir.toFile(), 3_000, s -> { });
    }

    @Test
    void shouldLaunchWhenNoDriverRunsAndAttachWhenOneRuns() {
        RemoteSettings settings = aeronDir.settings();

        DriverHandle first = start(settings);
        DriverHandle second = start(settings);

        assertTrue(first.hostsDriver());
        assertTrue(driverActive(aeronDir.path()));
        assertFalse(second.hostsDriver());
        assertEquals(ProcessHandle.current().pid(), second.driverPid());
        assertEquals(aeronDir.path(), second.aeronDirectory());
    }

    @Test
    void shouldKeepTheDriverWhenAnAttachedHandleCloses() {
        RemoteSettings settings = aeronDir.settings();
        DriverHandle host = start(settings);
        DriverHandle attached = start(settings);

        attached.close();

        assertTrue(attached.isClosed());
        assertTrue(driverActive(aeronDir.path()), "closing an attached handle must not stop the driver");
        assertFalse(host.isClosed());
    }

    @Test
    void shouldStopDriverAndRemoveDirectoryWhenHostClosesAndAllowClosingTwice() {
        DriverHandle host = start(aeronDir.settings());

        host.close();
        host.close();

        assertFalse(Files.exists(aeronDir.path()), "the host removes the Aeron directory on close");
        assertTrue(Files.exists(aeronDir.lockFile()), "the lock file stays: deleting it would break the lock");
    }

    @Test
    void shouldLaunchAgainWhenThePreviousHostClosed() {
        start(aeronDir.settings()).close();

        DriverHandle next = start(aeronDir.settings());

        assertTrue(next.hostsDriver());
        assertTrue(driverActive(aeronDir.path()));
    }

    @Test
    void shouldCreateDirectoryAndLockFilePrivateToTheUser() throws IOException {
        start(aeronDir.settings());

        assertEquals("rwx------", permissions(aeronDir.path()));
        assertEquals("rw-------", permissions(aeronDir.path().resolve("cnc.dat")));
        assertEquals("rw-------", permissions(aeronDir.lockFile()));
    }

    @Test
    void shouldRemoveLeftoversWhenTheDirectoryHasNoLiveDriver() throws IOException {
        Files.createDirectories(aeronDir.path());
        Path leftover = Files.writeString(aeronDir.path().resolve("leftover.logbuffer"), "old");

        DriverHandle handle = start(aeronDir.settings());

        assertTrue(handle.hostsDriver());
        assertFalse(Files.exists(leftover), "a directory without a live driver is stale and replaced");
        assertTrue(driverActive(aeronDir.path()));
    }

    @Test
    void shouldFailWithHowToStartOneWhenAttachModeFindsNoDriver() {
        DriverException e = assertThrows(DriverException.class,
                () -> start(aeronDir.settings("driver.mode", "attach")));

        assertTrue(e.getMessage().contains("No live media driver runs in " + aeronDir.path()), e.getMessage());
        assertTrue(e.getMessage().contains(StandaloneDriver.class.getName() + " --dir " + aeronDir.path()), e.getMessage());
        assertFalse(Files.exists(aeronDir.path()), "attach mode creates nothing");
    }

    @Test
    void shouldRefuseEmbeddedModeWhenADriverAlreadyRuns() {
        start(aeronDir.settings());

        DriverException e = assertThrows(DriverException.class,
                () -> start(aeronDir.settings("driver.mode", "embedded")));

        assertTrue(e.getMessage().contains("A media driver already runs in " + aeronDir.path()), e.getMessage());
        assertTrue(driverActive(aeronDir.path()), "the running driver is left alone");
    }

    @Test
    void shouldAttachInAttachModeWhenADriverRuns() {
        start(aeronDir.settings());

        DriverHandle attached = MediaDrivers.start(aeronDir.settings(), DriverMode.ATTACH);
        handles.add(attached);

        assertFalse(attached.hostsDriver());
    }

    @Test
    void shouldRefuseADirectoryThatIsASymbolicLink() throws IOException {
        Files.createDirectories(otherDir.path());
        Files.createSymbolicLink(aeronDir.path(), otherDir.path());

        DriverException e = assertThrows(DriverException.class, () -> start(aeronDir.settings()));

        assertTrue(e.getMessage().contains(aeronDir.path() + " is a symbolic link"), e.getMessage());
    }

    @Test
    void shouldRefuseADirectoryOwnedByAnotherUser() throws IOException {
        UserPrincipal nobody;
        try {
            nobody = aeronDir.path().getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.createDirectories(aeronDir.path());
            Files.setOwner(aeronDir.path(), nobody);
        } catch (IOException e) {
            assumeTrue(false, "changing a directory's owner needs root: " + e);
            return;
        }

        DriverException e = assertThrows(DriverException.class, () -> start(aeronDir.settings()));

        assertTrue(e.getMessage().contains(aeronDir.path() + " belongs to user 'nobody'"), e.getMessage());
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
