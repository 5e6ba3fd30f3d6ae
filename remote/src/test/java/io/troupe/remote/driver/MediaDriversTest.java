package io.troupe.remote.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.troupe.remote.RemoteSettings;
import io.troupe.remote.RemoteSettings.DriverMode;
import io.troupe.remote.testsupport.TestAeronDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * In-process driver lifecycle: one JVM plays every process (the lock registry makes that sound).
 */
class MediaDriversTest {
    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();
    @RegisterExtension final TestAeronDir otherDir = new TestAeronDir();
    private final List<DriverHandle> handles = new ArrayList<>();
    private MediaDriver rawDriver; // a driver started outside Troupe, if a test needs one

    @AfterEach
    void closeDrivers() {
        if (rawDriver != null) {
            rawDriver.close();
        }
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
        return CommonContext.isDriverActive(dir.toFile(), 3_000, s -> {});
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
        assertTrue(
                driverActive(aeronDir.path()),
                "closing an attached handle must not stop the driver");
        assertFalse(host.isClosed());
    }

    @Test
    void shouldStopDriverAndRemoveDirectoryWhenHostClosesAndAllowClosingTwice() {
        DriverHandle host = start(aeronDir.settings());

        host.close();
        host.close();

        assertFalse(Files.exists(aeronDir.path()), "the host removes the Aeron directory on close");
        assertFalse(Files.exists(aeronDir.lockFile()), "the host removes the lock file on close");
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
        assertFalse(
                Files.exists(leftover), "a directory without a live driver is stale and replaced");
        assertTrue(driverActive(aeronDir.path()));
    }

    @Test
    void shouldFailWithHowToStartOneWhenAttachModeFindsNoDriver() {
        DriverException e =
                assertThrows(
                        DriverException.class,
                        () -> start(aeronDir.settings("driver.mode", "attach")));

        assertTrue(
                e.getMessage().contains("No live media driver runs in " + aeronDir.path()),
                e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains(StandaloneDriver.class.getName() + " --dir " + aeronDir.path()),
                e.getMessage());
        assertFalse(Files.exists(aeronDir.path()), "attach mode creates nothing");
        assertFalse(
                Files.exists(aeronDir.lockFile()), "a failed attach leaves no lock file behind");
    }

    @Test
    void shouldRefuseEmbeddedModeWhenADriverAlreadyRuns() {
        start(aeronDir.settings());

        DriverException e =
                assertThrows(
                        DriverException.class,
                        () -> start(aeronDir.settings("driver.mode", "embedded")));

        assertTrue(
                e.getMessage().contains("A media driver already runs in " + aeronDir.path()),
                e.getMessage());
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

        assertTrue(
                e.getMessage().contains(aeronDir.path() + " is a symbolic link"), e.getMessage());
    }

    @Test
    void shouldRefuseADirectoryOwnedByAnotherUser() throws IOException {
        UserPrincipal nobody;
        try {
            nobody =
                    aeronDir.path()
                            .getFileSystem()
                            .getUserPrincipalLookupService()
                            .lookupPrincipalByName("nobody");
            Files.createDirectories(aeronDir.path());
            Files.setOwner(aeronDir.path(), nobody);
        } catch (IOException e) {
            assumeTrue(false, "changing a directory's owner needs root: " + e);
            return;
        }

        DriverException e = assertThrows(DriverException.class, () -> start(aeronDir.settings()));

        assertTrue(
                e.getMessage().contains(aeronDir.path() + " belongs to user 'nobody'"),
                e.getMessage());
    }

    @Test
    void shouldRemoveNothingAndCreateNothingWhenNeitherDirectoryNorLockFileExists() {
        assertFalse(MediaDrivers.removeIfHostGone(aeronDir.path(), Duration.ofSeconds(5)));

        assertFalse(Files.exists(aeronDir.path()));
        assertFalse(
                Files.exists(aeronDir.lockFile()), "no lock file is created just to find nothing");
    }

    @Test
    void shouldKeepEverythingWhenThisProcessHostsTheDriver() {
        start(aeronDir.settings());

        assertFalse(MediaDrivers.removeIfHostGone(aeronDir.settings()));

        assertTrue(driverActive(aeronDir.path()));
        assertTrue(Files.exists(aeronDir.lockFile()));
    }

    @Test
    void shouldKeepEverythingWhenADriverStartedOutsideTroupeRunsThere() throws IOException {
        Files.createDirectories(aeronDir.path());
        DirectoryLock.open(aeronDir.lockFile()).release(); // a lock file, but no Troupe host marker
        rawDriver = MediaDriver.launch(rawDriverContext(true));

        assertFalse(MediaDrivers.removeIfHostGone(aeronDir.path(), Duration.ofSeconds(5)));

        assertTrue(driverActive(aeronDir.path()), "the foreign driver is left alone");
        assertTrue(Files.exists(aeronDir.lockFile()));
    }

    @Test
    void shouldKeepADirectoryWithoutLockFileBecauseTroupeDidNotMakeIt() {
        MediaDriver.launch(rawDriverContext(false))
                .close(); // leaves its directory, and no lock file

        assertFalse(MediaDrivers.removeIfHostGone(aeronDir.path(), Duration.ofSeconds(5)));

        assertTrue(Files.exists(aeronDir.path().resolve("cnc.dat")));
        assertFalse(Files.exists(aeronDir.lockFile()));
    }

    @Test
    void shouldRemoveDirectoryAndLockFileWhenTheirTroupeHostIsGone() throws IOException {
        leaveDeadHost();

        assertTrue(MediaDrivers.removeIfHostGone(aeronDir.settings()));

        assertFalse(Files.exists(aeronDir.path()));
        assertFalse(Files.exists(aeronDir.lockFile()));
    }

    @Test
    void shouldRemoveALockFileLeftWithoutDirectory() throws IOException {
        DirectoryLock.open(aeronDir.lockFile()).release();

        assertTrue(MediaDrivers.removeIfHostGone(aeronDir.path(), Duration.ofSeconds(5)));

        assertFalse(Files.exists(aeronDir.lockFile()));
    }

    @Test
    void shouldRemoveOnceWhenThreeThreadsRemoveAtTheSameMoment() throws Exception {
        leaveDeadHost();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            CyclicBarrier together = new CyclicBarrier(3);
            List<Future<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(
                        pool.submit(
                                () -> {
                                    together.await(10, TimeUnit.SECONDS);
                                    return MediaDrivers.removeIfHostGone(
                                            aeronDir.path(), Duration.ofSeconds(10));
                                }));
            }
            int removed = 0;
            for (Future<Boolean> call : calls) {
                removed += call.get(30, TimeUnit.SECONDS) ? 1 : 0; // rethrows any exception
            }

            assertEquals(1, removed, "exactly one call removes");
            assertFalse(Files.exists(aeronDir.path()));
            assertFalse(Files.exists(aeronDir.lockFile()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldLaunchAgainAfterTheDeadHostsDirectoryWasRemoved() throws IOException {
        leaveDeadHost();
        assertTrue(MediaDrivers.removeIfHostGone(aeronDir.settings()));

        DriverHandle next = start(aeronDir.settings());

        assertTrue(next.hostsDriver());
        assertTrue(driverActive(aeronDir.path()));
        assertTrue(Files.exists(aeronDir.lockFile()));
        next.close();
        assertFalse(Files.exists(aeronDir.path()));
        assertFalse(Files.exists(aeronDir.lockFile()));
    }

    /**
     * What a SIGKILLed Troupe host leaves: a directory whose cnc.dat still heart-beats recently,
     * and a lock file whose marker names that driver, with the host lock free.
     */
    private void leaveDeadHost() throws IOException {
        MediaDriver dead = MediaDriver.launch(rawDriverContext(false));
        dead.close();
        String marker = CncFile.read(aeronDir.path()).orElseThrow().marker();
        Files.writeString(aeronDir.lockFile(), marker + "\n");
        assertTrue(Files.exists(aeronDir.path().resolve("cnc.dat")));
    }

    private MediaDriver.Context rawDriverContext(boolean deleteOnShutdown) {
        return new MediaDriver.Context()
                .aeronDirectoryName(aeronDir.path().toString())
                .threadingMode(ThreadingMode.SHARED)
                .dirDeleteOnStart(false)
                .dirDeleteOnShutdown(deleteOnShutdown);
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(
                Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
