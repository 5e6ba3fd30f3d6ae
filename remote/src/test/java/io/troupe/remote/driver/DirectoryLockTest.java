package io.troupe.remote.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.remote.testsupport.TestAeronDir;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lock file's identity check, in one process: a file deleted or replaced after this JVM opened
 * it must not be the one locked. (MediaDriversMultiProcessTest covers the same across processes.)
 */
class DirectoryLockTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();
    private final List<DirectoryLock> opened = new ArrayList<>();

    @AfterEach
    void releaseLocks() {
        opened.forEach(DirectoryLock::release);
    }

    private DirectoryLock open() {
        DirectoryLock lock = DirectoryLock.open(aeronDir.lockFile());
        opened.add(lock);
        return lock;
    }

    /**
     * Whether this JVM holds the launch lock on the file the path names now. The JVM refuses an
     * overlapping lock on the same file (same inode) through another channel, but not on another
     * file. Closing the probe drops this JVM's record locks on that file, so call it last.
     */
    private boolean launchLockedOnCurrentFile() throws IOException {
        try (FileChannel probe =
                FileChannel.open(
                        aeronDir.lockFile(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            try {
                probe.tryLock(0, 1, false).release();
                return false;
            } catch (OverlappingFileLockException e) {
                return true;
            }
        }
    }

    @Test
    void shouldRecreateAndLockTheFileWhenItWasDeletedAfterOpening() throws IOException {
        DirectoryLock lock = open();
        Files.delete(aeronDir.lockFile());

        try (DirectoryLock.Held held = lock.lockLaunch(TIMEOUT)) {
            assertTrue(Files.exists(aeronDir.lockFile()), "the lock file was recreated");
            assertTrue(
                    launchLockedOnCurrentFile(),
                    "the launch lock is on the file the path names, not the deleted one");
        }
    }

    @Test
    void shouldLockTheNewFileWhenTheFileWasReplacedAfterOpening() throws IOException {
        DirectoryLock lock = open();
        Object before = PrivateFiles.fileKey(aeronDir.lockFile());
        Files.delete(aeronDir.lockFile());
        Files.writeString(aeronDir.lockFile(), "pid=1 start=2\n");
        Object replaced = PrivateFiles.fileKey(aeronDir.lockFile());

        try (DirectoryLock.Held held = lock.lockLaunch(TIMEOUT)) {
            assertTrue(
                    launchLockedOnCurrentFile(),
                    "the launch lock is on the replacement, not the deleted file");
            assertEquals("pid=1 start=2", lock.marker(), "the marker is read from the replacement");
        }
        assertEquals(
                replaced,
                PrivateFiles.fileKey(aeronDir.lockFile()),
                "the replacement was kept, not recreated");
        assertFalse(replaced.equals(before), "the test really replaced the file");
    }

    @Test
    void shouldLockNothingAndCreateNothingWhenOnlyIfExistsAndTheFileWasDeleted()
            throws IOException {
        DirectoryLock lock = open();
        Files.delete(aeronDir.lockFile());

        Optional<DirectoryLock.Held> held = lock.lockLaunchIfExists(TIMEOUT);

        assertTrue(held.isEmpty());
        assertFalse(Files.exists(aeronDir.lockFile()), "nothing was created");
        try (DirectoryLock.Held again = lock.lockLaunch(TIMEOUT)) {
            assertTrue(
                    launchLockedOnCurrentFile(),
                    "the plain lockLaunch still recreates it afterwards");
        }
    }

    @Test
    void shouldOpenNothingWhenOnlyIfExistsAndThereIsNoFile() {
        Optional<DirectoryLock> lock = DirectoryLock.openIfExists(aeronDir.lockFile());

        assertTrue(lock.isEmpty());
        assertFalse(Files.exists(aeronDir.lockFile()));
    }

    @Test
    void shouldDeleteTheFileOnlyWhenNoProcessHoldsTheHostLock() throws IOException {
        DirectoryLock lock = open();
        try (DirectoryLock.Held held = lock.lockLaunch(TIMEOUT)) {
            lock.takeHost("pid=1 start=2");
            assertFalse(lock.delete(), "a host holds the host lock");
            assertTrue(Files.exists(aeronDir.lockFile()));

            lock.releaseHost();
            assertTrue(lock.delete());
            assertFalse(Files.exists(aeronDir.lockFile()));
        }
    }

    @Test
    void shouldRefuseDeletionWithoutTheLaunchLock() {
        DirectoryLock lock = open();

        IllegalStateException e = assertThrows(IllegalStateException.class, lock::delete);

        assertTrue(
                e.getMessage()
                        .contains("the launch lock of " + aeronDir.lockFile() + " is not held"),
                e.getMessage());
        assertTrue(Files.exists(aeronDir.lockFile()));
    }

    @Test
    void shouldRecordTheIdentityOfTheOpenedFile() throws IOException {
        Path lockFile = aeronDir.lockFile();
        PrivateFiles.LockFile file = PrivateFiles.openLockFile(lockFile, true);
        try {
            assertEquals(PrivateFiles.fileKey(lockFile), file.fileKey());
        } finally {
            file.channel().close();
        }
    }
}
