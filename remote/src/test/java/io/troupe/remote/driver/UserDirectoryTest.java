package io.troupe.remote.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.troupe.remote.RemoteSettings;
import io.troupe.remote.testsupport.UserDirTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The per-user directory {@code troupe-<user>} that holds every cluster's Aeron directory (the
 * default {@code /dev/shm/troupe-<user>/<cluster>}, here in a private tree of the same shape): made
 * 0700 before anything is written into it, so that other users cannot open the files Aeron creates
 * with the umask during a launch; refused when it is a link or another user's; removed by the last
 * cluster out, and only then.
 */
class UserDirectoryTest {
    @RegisterExtension final UserDirTree tree = new UserDirTree();

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(
                Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void shouldPutTheDefaultAeronDirectoryInAPerUserDirectory() {
        Path dir = RemoteSettings.defaultAeronDir("shop");

        assertEquals("shop", dir.getFileName().toString());
        assertEquals(
                "troupe-" + System.getProperty("user.name"),
                dir.getParent().getFileName().toString());
        assertTrue(PrivateFiles.isUserDirectory(dir.getParent()));
    }

    @Test
    void shouldMakeThePerUserDirectory0700AndRemoveItWhenTheLastClusterLeaves() throws IOException {
        RemoteSettings settings = tree.settings("c1");

        try (DriverHandle handle = MediaDrivers.start(settings)) {
            assertTrue(handle.hostsDriver());
            assertEquals("rwx------", permissions(tree.userDir()));
            assertEquals("rwx------", permissions(tree.aeronDir("c1")));
            assertEquals(
                    Files.getOwner(Files.createTempFile("owner-probe", ".tmp")),
                    Files.getOwner(tree.userDir(), LinkOption.NOFOLLOW_LINKS));
        }

        tree.assertNothingLeft("after the only cluster left");
    }

    @Test
    void shouldKeepThePerUserDirectoryWhileAnotherClusterLivesInIt() {
        DriverHandle first = MediaDrivers.start(tree.settings("c1"));
        DriverHandle second = MediaDrivers.start(tree.settings("c2"));

        first.close();
        assertEquals(
                List.of(
                        tree.aeronDir("c2").toString(),
                        tree.userDir().resolve("c2.lock").toString()),
                tree.list().stream()
                        .filter(p -> !p.startsWith(tree.aeronDir("c2") + "/"))
                        .filter(p -> !p.equals(tree.userDir().toString()))
                        .toList());
        assertTrue(Files.isDirectory(tree.userDir()));
        second.close();

        tree.assertNothingLeft("after both clusters left");
    }

    @Test
    void shouldNarrowAWiderPerUserDirectoryOfThisUser() throws IOException {
        Files.createDirectory(
                tree.userDir(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(tree.userDir(), PosixFilePermissions.fromString("rwxr-xr-x"));

        try (DriverHandle handle = MediaDrivers.start(tree.settings("c1"))) {
            assertEquals("rwx------", permissions(tree.userDir()));
        }
    }

    @Test
    void shouldRefuseAPerUserDirectoryThatIsASymbolicLink() throws IOException {
        Path elsewhere = Files.createDirectory(tree.base().resolve("elsewhere"));
        Files.createSymbolicLink(tree.userDir(), elsewhere);

        DriverException e =
                assertThrows(DriverException.class, () -> MediaDrivers.start(tree.settings("c1")));

        assertTrue(
                e.getMessage()
                        .startsWith(
                                "The per-user directory " + tree.userDir() + " is a symbolic link"),
                e.getMessage());
        assertTrue(Files.isSymbolicLink(tree.userDir()), "the link is left as it was");
        try (var content = Files.list(elsewhere)) {
            assertEquals(0, content.count(), "nothing was written where the link points");
        }
    }

    @Test
    void shouldRefuseAPerUserDirectoryOfAnotherUserAndLeaveItUntouched() throws IOException {
        Files.createDirectory(tree.userDir());
        Files.setPosixFilePermissions(tree.userDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        UserPrincipal nobody;
        try {
            nobody =
                    tree.userDir()
                            .getFileSystem()
                            .getUserPrincipalLookupService()
                            .lookupPrincipalByName("nobody");
            Files.setOwner(tree.userDir(), nobody);
        } catch (IOException | UnsupportedOperationException e) {
            assumeTrue(false, "changing an owner needs root (and a user 'nobody'): " + e);
            return;
        }

        DriverException e =
                assertThrows(DriverException.class, () -> MediaDrivers.start(tree.settings("c1")));

        assertTrue(
                e.getMessage()
                        .startsWith(
                                "The per-user directory "
                                        + tree.userDir()
                                        + " belongs to user 'nobody'"),
                e.getMessage());
        assertTrue(
                e.getMessage()
                        .endsWith(
                                "ask them to remove it, or choose another troupe.remote.aeron-dir"
                                        + " inside a directory of your own"),
                e.getMessage());
        assertEquals("rwxr-xr-x", permissions(tree.userDir()), "not ours to narrow");
        assertEquals(nobody, Files.getOwner(tree.userDir(), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(tree.aeronDir("c1")), "nothing was created in it");
        try (var content = Files.list(tree.userDir())) {
            assertEquals(0, content.count(), "no lock file either");
        }
    }
}
