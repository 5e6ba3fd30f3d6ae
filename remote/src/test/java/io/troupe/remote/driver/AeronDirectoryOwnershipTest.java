package io.troupe.remote.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.testsupport.TestAeronDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node refuses an Aeron directory, or a lock file, that belongs to another user, with a message
 * that says whose it is and what to do, and leaves it exactly as it found it; cleaning up leftovers
 * never removes another user's directory. (MediaDriversTest covers the 0700/0600 creation, symbolic
 * links, and the refusal at the driver level; this is what a user starting a node sees.) Changing
 * an owner needs root: without it these tests are skipped.
 */
class AeronDirectoryOwnershipTest {
    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();
    private ActorTestKit kit;

    @AfterEach
    void shutdown() {
        if (kit != null) {
            kit.shutdownTestKit();
        }
    }

    private static UserPrincipal giveToNobody(Path path) {
        try {
            UserPrincipal nobody =
                    path.getFileSystem()
                            .getUserPrincipalLookupService()
                            .lookupPrincipalByName("nobody");
            Files.setOwner(path, nobody);
            return nobody;
        } catch (IOException | UnsupportedOperationException e) {
            assumeTrue(false, "changing an owner needs root (and a user 'nobody'): " + e);
            throw new AssertionError("unreachable");
        }
    }

    private DriverException startNodeRefused() {
        kit = ActorTestKit.create("ownership", aeronDir.config("node-name", "alpha"));
        Throwable thrown = assertThrows(Throwable.class, () -> RemoteNode.get(kit.system()));
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof DriverException d) {
                return d;
            }
        }
        throw new AssertionError("the node failed, but not with a DriverException", thrown);
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(
                Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void shouldRefuseToStartANodeInAnotherUsersDirectoryAndLeaveItUntouched() throws IOException {
        Path dir = Files.createDirectories(aeronDir.path());
        Path theirs = Files.writeString(dir.resolve("their.logbuffer"), "theirs");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        UserPrincipal nobody = giveToNobody(dir);
        Files.setOwner(theirs, nobody);
        Path probe = Files.createTempFile("owner-probe", ".tmp");
        String me = Files.getOwner(probe).getName();
        Files.delete(probe);

        DriverException e = startNodeRefused();

        assertTrue(
                e.getMessage()
                        .startsWith(
                                "The Aeron directory "
                                        + dir
                                        + " belongs to user 'nobody', not to '"
                                        + me
                                        + "'"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("choose another troupe.remote.aeron-dir"), e.getMessage());
        assertEquals(nobody, Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS), "ownership unchanged");
        assertEquals(
                "rwxr-xr-x", permissions(dir), "permissions unchanged: it is not ours to narrow");
        assertEquals("theirs", Files.readString(theirs), "content unchanged");
        assertFalse(Files.exists(dir.resolve("cnc.dat")), "no driver was started there");
        assertFalse(
                Files.exists(aeronDir.lockFile()),
                "the refused start left no lock file of its own");
    }

    @Test
    void shouldRefuseToStartANodeWhoseLockFileBelongsToAnotherUser() throws IOException {
        Files.writeString(aeronDir.lockFile(), "");
        giveToNobody(aeronDir.lockFile());

        DriverException e = startNodeRefused();

        assertTrue(
                e.getMessage()
                        .contains(
                                "The lock file "
                                        + aeronDir.lockFile()
                                        + " belongs to user 'nobody'"),
                e.getMessage());
        assertFalse(
                Files.exists(aeronDir.path()),
                "no directory was created beside a lock file that is not ours");
    }

    @Test
    void shouldNeverRemoveAnotherUsersDirectoryWhenCleaningUpLeftovers() throws IOException {
        Path dir = Files.createDirectories(aeronDir.path());
        Files.writeString(dir.resolve("their.logbuffer"), "theirs");
        DirectoryLock.open(aeronDir.lockFile())
                .release(); // a lock file of ours with no host: what a crash leaves
        giveToNobody(dir);

        DriverException e =
                assertThrows(
                        DriverException.class,
                        () -> MediaDrivers.removeIfHostGone(dir, Duration.ofSeconds(5)));

        assertTrue(e.getMessage().contains(dir + " belongs to user 'nobody'"), e.getMessage());
        assertTrue(Files.exists(dir.resolve("their.logbuffer")), "their directory is still there");
    }
}
