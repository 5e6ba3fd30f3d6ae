package io.troupe.remote.driver;

import io.troupe.remote.RemoteSettings;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Aeron directory and its lock file private to the user: creates them 0700/0600, refuses
 * paths that are symbolic links or owned by someone else, tightens permissions after the media
 * driver created its files, and deletes stale directories without following links. Without POSIX
 * permissions (Windows) the permission steps are skipped, and lock files have no identity ({@link
 * LockFile#fileKey()} is null), so they are never deleted there.
 *
 * <p>Thread safety: stateless apart from a lazily computed, immutable current-user principal.
 */
final class PrivateFiles {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);
    static final Set<PosixFilePermission> DIR_0700 = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_0600 = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final int MAX_OPEN_ATTEMPTS = 100;

    private PrivateFiles() {}

    /**
     * An open lock file and the identity ({@link BasicFileAttributes#fileKey()}: device and inode)
     * of the file the channel refers to, or a null identity where the platform has none.
     */
    record LockFile(FileChannel channel, Object fileKey) {}

    /**
     * Opens the lock file, creating it 0600 (and its parent directories) if {@code create}, and
     * learns which file the channel refers to. Refuses a lock file that is a link or belongs to
     * another user: whoever owns it could hold the lock forever or watch who starts drivers.
     *
     * <p>Java cannot fstat a channel, so the identity is the path's file key taken before and after
     * the open: equal keys mean no other process replaced the file in between. Otherwise the
     * channel is closed (this process holds no lock on a file it just opened) and the open retried.
     * (Equal keys could only mislead if the file were deleted, a new one created and its inode
     * number reused twice between the two reads; tmpfs numbers inodes from a counter.)
     *
     * @throws NoSuchFileException when {@code create} is false and the file does not exist
     */
    static LockFile openLockFile(Path lockFile, boolean create) throws IOException {
        if (create) {
            ensureParent(lockFile.getParent());
        }
        Set<OpenOption> options =
                create
                        ? Set.of(
                                StandardOpenOption.CREATE,
                                StandardOpenOption.READ,
                                StandardOpenOption.WRITE,
                                LinkOption.NOFOLLOW_LINKS)
                        : Set.of(
                                StandardOpenOption.READ,
                                StandardOpenOption.WRITE,
                                LinkOption.NOFOLLOW_LINKS);
        for (int attempt = 1; ; attempt++) {
            Object before = fileKey(lockFile);
            FileChannel channel;
            try {
                channel =
                        POSIX
                                ? FileChannel.open(
                                        lockFile,
                                        options,
                                        PosixFilePermissions.asFileAttribute(FILE_0600))
                                : FileChannel.open(lockFile, options);
            } catch (NoSuchFileException e) {
                if (!create || attempt == MAX_OPEN_ATTEMPTS) {
                    throw e;
                }
                // The per-user directory was empty and the last process of another cluster
                // removed it between our mkdir and this open: make it again.
                ensureParent(lockFile.getParent());
                continue;
            }
            Object after;
            try {
                requirePrivate(lockFile, "lock file", FILE_0600);
                after = fileKey(lockFile);
            } catch (NoSuchFileException e) {
                after = null; // deleted meanwhile by a holder of the launch lock: retry (or report
                // it gone)
            } catch (RuntimeException | IOException e) {
                channel.close();
                throw e;
            }
            if (!POSIX || (before != null && before.equals(after))) {
                return new LockFile(channel, POSIX ? after : null);
            }
            channel.close(); // created just now (before == null), or deleted or replaced while we
            // opened it
            if (after == null && !create) {
                throw new NoSuchFileException(lockFile.toString());
            }
            if (attempt == MAX_OPEN_ATTEMPTS) {
                throw new IOException(
                        "the lock file "
                                + lockFile
                                + " was replaced "
                                + attempt
                                + " times while this "
                                + "process opened it: another program keeps deleting it; stop that program");
            }
        }
    }

    /**
     * Whether {@code dir} is the per-user directory Troupe keeps Aeron directories in, {@code
     * troupe-<user>} (the parent of {@link RemoteSettings#defaultAeronDir}'s result, wherever it
     * lies): Troupe creates it 0700, refuses it when it is a link or another user's, and removes it
     * when it is empty.
     */
    static boolean isUserDirectory(Path dir) {
        return dir != null
                && dir.getFileName() != null
                && dir.getFileName().equals(USER_DIRECTORY_NAME);
    }

    private static final Path USER_DIRECTORY_NAME =
            RemoteSettings.defaultAeronDir("x").getParent().getFileName();

    /**
     * Makes sure the directory that holds an Aeron directory and its lock file exists. The per-user
     * directory ({@link #isUserDirectory}) is created 0700 before anything is written into it, and
     * must be a directory of this user and not a link (narrowed to 0700 if wider): Aeron creates
     * its directory and first files with the process umask (0755/0644), and only a parent that
     * other users cannot enter keeps them out during those milliseconds. Any other parent is the
     * user's choice: missing ones are created 0700, existing ones are used as they are.
     */
    static void ensureParent(Path parent) throws IOException {
        if (!isUserDirectory(parent)) {
            if (!Files.isDirectory(parent)) {
                if (POSIX) {
                    Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(DIR_0700));
                } else {
                    Files.createDirectories(parent);
                }
            }
            return;
        }
        try {
            if (POSIX) {
                Files.createDirectory(parent, PosixFilePermissions.asFileAttribute(DIR_0700));
            } else {
                Files.createDirectory(parent);
            }
        } catch (FileAlreadyExistsException e) {
            // ours from an earlier run or another cluster's node, or not ours: checked below
        }
        requirePrivate(parent, "per-user directory", DIR_0700);
        if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            throw new DriverException(
                    "The per-user directory "
                            + parent
                            + " is not a directory: remove it, or choose another"
                            + " troupe.remote.aeron-dir");
        }
    }

    /**
     * Removes the per-user directory that holds {@code aeronDir} if it is empty; does nothing for
     * any other parent, or when another cluster's directory or lock file is still in it. A process
     * that made it again just before and is about to create its lock file in it finds it gone and
     * makes it again ({@link #openLockFile}); one whose lock file is in it keeps it from being
     * removed.
     */
    static void removeUserDirectoryIfEmpty(Path aeronDir) {
        Path parent = aeronDir.toAbsolutePath().normalize().getParent();
        if (!isUserDirectory(parent) || Files.isSymbolicLink(parent)) {
            return;
        }
        try {
            if (POSIX
                    && CurrentUser.PRINCIPAL != null
                    && !CurrentUser.PRINCIPAL.equals(
                            Files.getOwner(parent, LinkOption.NOFOLLOW_LINKS))) {
                return; // another user's, refused at start: never ours to remove
            }
            Files.deleteIfExists(parent);
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
            // another cluster of this user still lives there, or it is gone already
        } catch (IOException e) {
            LOG.debug("Could not remove the empty per-user directory {}: {}", parent, e.toString());
        }
    }

    /**
     * Whether users other than the owner may enter {@code dir} (group or others may search it):
     * then Aeron's files are readable by them for the few milliseconds before Troupe narrows them.
     */
    static boolean othersCanEnter(Path dir) {
        if (!POSIX || dir == null) {
            return false;
        }
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir);
            return p.contains(PosixFilePermission.GROUP_EXECUTE)
                    || p.contains(PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /**
     * Which file {@code path} names now (device and inode), without following links; null if none.
     */
    static Object fileKey(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Checks that {@code path}, if it exists, is not a symbolic link and belongs to this user, then
     * narrows its permissions to {@code wanted} (an old directory may have been wider).
     */
    static void requirePrivate(Path path, String what, Set<PosixFilePermission> wanted)
            throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isSymbolicLink(path)) {
            throw new DriverException(
                    "The "
                            + what
                            + " "
                            + path
                            + " is a symbolic link; Troupe refuses it because "
                            + "the link could point at a directory other users can read: remove the link or choose "
                            + "another troupe.remote.aeron-dir");
        }
        if (!POSIX) {
            return;
        }
        UserPrincipal owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
        UserPrincipal me = CurrentUser.PRINCIPAL;
        if (me != null && !owner.equals(me)) {
            throw new DriverException(
                    "The "
                            + what
                            + " "
                            + path
                            + " belongs to user '"
                            + owner.getName()
                            + "', not to '"
                            + me.getName()
                            + "'; sharing it would let that user read or disturb this "
                            + "user's messages: ask them to remove it, or choose another troupe.remote.aeron-dir"
                            + (isUserDirectory(path)
                                    ? " inside a directory of your own"
                                    : " (or another troupe.remote.cluster-name)"));
        }
        if (!Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(wanted)) {
            Files.setPosixFilePermissions(path, wanted);
        }
    }

    /**
     * Makes the directory 0700 and everything in it 0700 (directories) or 0600 (files). Called
     * right after the driver created them: Aeron creates them with the process umask (usually
     * 0755/0644) and Java cannot change the umask. Files created later sit below a 0700 directory.
     */
    static void makePrivate(Path dir) throws IOException {
        if (!POSIX) {
            return;
        }
        Files.walkFileTree(
                dir,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
                            throws IOException {
                        Files.setPosixFilePermissions(d, DIR_0700);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                            throws IOException {
                        if (attrs.isRegularFile()) {
                            Files.setPosixFilePermissions(file, FILE_0600);
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
    }

    /** Who this process runs as, asked of the file system rather than taken from user.name. */
    private static final class CurrentUser {
        static final UserPrincipal PRINCIPAL = probe();

        private static UserPrincipal probe() {
            try {
                Path probe = Files.createTempFile("troupe-owner-probe", ".tmp");
                try {
                    return Files.getOwner(probe);
                } finally {
                    Files.deleteIfExists(probe);
                }
            } catch (IOException | UnsupportedOperationException e) {
                try {
                    return FileSystems.getDefault()
                            .getUserPrincipalLookupService()
                            .lookupPrincipalByName(System.getProperty("user.name"));
                } catch (IOException | UnsupportedOperationException e2) {
                    return null; // ownership checks are skipped; permissions are still narrowed
                }
            }
        }
    }
}
