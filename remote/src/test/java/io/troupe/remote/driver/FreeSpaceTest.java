package io.troupe.remote.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.RemoteSettings;
import io.troupe.remote.testsupport.Threads;
import io.troupe.remote.testsupport.Tmpfs;
import io.troupe.remote.testsupport.UserDirTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A full {@code /dev/shm}: with the Aeron directory on a small tmpfs (mounted by the test, as root;
 * skipped otherwise) a node's start fails at once with an error that names the directory, the space
 * free and needed and the fixes, never hangs, and leaves nothing behind. Before the check a 6 MiB
 * tmpfs killed the process with {@code InternalError} (a write into the mapped cnc.dat faulted) and
 * a 13 MiB one failed the first stream with Aeron's {@code insufficient usable storage}, both
 * leaving the directory and its lock behind.
 */
class FreeSpaceTest {
    private static final Duration NO_HANG = Duration.ofSeconds(60);

    @RegisterExtension final UserDirTree shmTree = new UserDirTree();
    private Tmpfs tmpfs;
    private ActorTestKit kit;

    @AfterEach
    void cleanUp() {
        if (kit != null) {
            kit.shutdownTestKit();
        }
        if (tmpfs != null) {
            tmpfs.close();
        }
    }

    private UserDirTree onTmpfs(String size) {
        tmpfs = Tmpfs.mount(size);
        return new UserDirTree(tmpfs.path());
    }

    private static DriverException driverException(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof DriverException d) {
                return d;
            }
        }
        throw new AssertionError("the start failed, but not with a DriverException", thrown);
    }

    /** Starts a node, expecting it to fail twice in the same way, promptly, leaving nothing. */
    private DriverException startFailsTwice(UserDirTree tree) {
        kit = ActorTestKit.create("freespace", tree.config("c1", "node-name", "alpha"));
        Set<String> before = Threads.transportThreads();
        DriverException first =
                assertTimeoutPreemptively(
                        NO_HANG,
                        () ->
                                driverException(
                                        assertThrows(
                                                Throwable.class,
                                                () -> RemoteNode.get(kit.system()))));
        assertEquals(List.of(), Threads.awaitNoNewTransportThreads(before, Duration.ofSeconds(10)));
        tree.assertNothingLeft("after the first failed start: " + first.getMessage());
        DriverException second =
                assertTimeoutPreemptively(
                        NO_HANG,
                        () ->
                                driverException(
                                        assertThrows(
                                                Throwable.class,
                                                () -> RemoteNode.get(kit.system()))));
        assertEquals(first.getMessage(), second.getMessage(), "the second try fails the same way");
        tree.assertNothingLeft("after the second failed start");
        return first;
    }

    private static void assertNamesTheFixes(String message, Path aeronDir) {
        for (String part :
                List.of(
                        "Not enough free space in " + aeronDir + " ",
                        "docker run --shm-size=",
                        "troupe.remote.term-length (now 1048576 bytes",
                        "troupe.remote.aeron-dir")) {
            assertTrue(message.contains(part), "names " + part + ": " + message);
        }
    }

    @Test
    void shouldRefuseToLaunchADriverWhoseFilesDoNotFit() {
        UserDirTree tree = onTmpfs("6m");
        RemoteSettings settings = tree.settings("c1");
        long needed = FreeSpace.driverFilesBytes(MediaDrivers.driverContext(settings));

        DriverException e = startFailsTwice(tree);

        assertNamesTheFixes(e.getMessage(), tree.aeronDir("c1"));
        assertTrue(
                e.getMessage()
                        .contains(
                                "(file system of "
                                        + tree.userDir()
                                        + "): 6.0 MiB (6,291,456 bytes) free, but the media"
                                        + " driver's cnc.dat and loss-report.dat need "
                                        + FreeSpace.bytes(needed)),
                e.getMessage());
    }

    @Test
    void shouldRefuseTheFirstStreamWhenItsLogDoesNotFit() {
        UserDirTree tree = onTmpfs("13m");

        DriverException e = startFailsTwice(tree);

        assertNamesTheFixes(e.getMessage(), tree.aeronDir("c1"));
        assertTrue(
                e.getMessage()
                        .contains(
                                " free, but the log of the membership stream (3 x term-length"
                                        + " 1048576 + a page) need "
                                        + FreeSpace.bytes(FreeSpace.streamBytes(1 << 20))),
                e.getMessage());
    }

    @Test
    void shouldStartAndLeaveNothingWhenTheFilesFit() {
        UserDirTree tree = onTmpfs("16m");
        kit = ActorTestKit.create("freespace", tree.config("c1", "node-name", "alpha"));

        RemoteNode node = RemoteNode.get(kit.system());

        assertEquals("alpha", node.name());
        kit.shutdownTestKit();
        kit = null;
        tree.assertNothingLeft("after the node stopped");
    }

    @Test
    void shouldEstimateExactlyTheDriverFilesALaunchWrites() throws Exception {
        RemoteSettings settings = shmTree.settings("c1");
        try (DriverHandle handle = MediaDrivers.start(settings)) {
            Path dir = handle.aeronDirectory();
            assertEquals(
                    FreeSpace.driverFilesBytes(MediaDrivers.driverContext(settings)),
                    Files.size(dir.resolve("cnc.dat"))
                            + Files.size(dir.resolve("loss-report.dat")));
        }
        shmTree.assertNothingLeft("after the driver closed");
    }
}
