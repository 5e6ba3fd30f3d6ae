package io.troupe.remote.driver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock file beside an Aeron directory ({@code <aeron-dir>.lock}) and the two byte-range locks
 * Troupe takes on it:
 *
 * <ul>
 *   <li><b>launch lock</b> (byte 0): held only while a process checks for, launches, closes or
 *       removes the driver, so that check-and-launch is atomic across processes;
 *   <li><b>host lock</b> (byte 1): held for its whole life by the process that hosts the driver.
 *       The kernel drops it when that process dies, even by SIGKILL, so a free host lock next to a
 *       cnc.dat written by a Troupe host proves the host is gone, without waiting for a heartbeat
 *       to age and without trusting PIDs (which differ across PID namespaces).
 * </ul>
 *
 * The file's content is a marker naming the hosted driver ({@code pid=… start=…}, from its
 * cnc.dat), so a prober can tell a Troupe-hosted driver from one started by other means.
 *
 * <p>POSIX record locks belong to the process, and closing any descriptor of the file releases all
 * of them. Hence one {@code DirectoryLock} (one channel) per lock file per JVM, shared through
 * {@link #open(Path)} with a reference count, plus an in-JVM mutex because the JVM refuses
 * overlapping locks from its own threads.
 *
 * <p><b>Deletion.</b> A process holding the launch lock may delete the file ({@link #delete()})
 * once the host lock is free, so that nothing is left behind. A process that opened the file before
 * the deletion then locks the unlinked file, while a process opening it afterwards creates and
 * locks a new one: both would "hold" the launch lock and could launch two drivers into one
 * directory. {@link #lockLaunch} therefore checks, after locking, that the path still names the
 * file it locked (same device and inode) and otherwise drops the lock, reopens the path and locks
 * again. That check is sound because only a holder of the launch lock on the file the path names
 * deletes it: while one process holds it, the path cannot change, so no other process can pass the
 * check on another file. Removing the lock file by other means (rm) while a host runs loses that
 * host's host lock; nodes still attach by heartbeat, but a later crash of that host is then only
 * recognised once its heartbeat is stale.
 *
 * <p>Thread safety: {@link #open}/{@link #openIfExists}/{@link #release} are thread-safe; the
 * host-lock methods and {@link #delete} must be called while holding the launch lock ({@link
 * #lockLaunch}).
 */
final class DirectoryLock {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryLock.class);
    private static final Map<Path, DirectoryLock> OPEN = new HashMap<>(); // guarded by OPEN
    private static final long LAUNCH_BYTE = 0;
    private static final long HOST_BYTE = 1;

    private final Path path;
    private final ReentrantLock mutex = new ReentrantLock();
    // Replaced (by reopen) only under mutex; volatile for marker() in messages. The last release
    // closes it.
    private volatile FileChannel channel;
    private Object fileKey; // the file channel refers to; null where the platform has no file keys;
    // guarded by mutex
    private int users; // guarded by OPEN
    private FileLock hostLock; // guarded by mutex

    /** What the host lock says about the process hosting the driver. */
    enum Host {
        HELD_HERE,
        HELD_ELSEWHERE,
        FREE
    }

    private DirectoryLock(Path path, PrivateFiles.LockFile file) {
        this.path = path;
        this.channel = file.channel();
        this.fileKey = file.fileKey();
    }

    /**
     * This JVM's instance for {@code lockFile}, opened (and created 0600) on first use; pair with
     * {@link #release()}.
     */
    static DirectoryLock open(Path lockFile) {
        return open(lockFile, true).orElseThrow();
    }

    /**
     * Like {@link #open(Path)}, but never creates the file: empty when it does not exist (and this
     * JVM does not have it open already). Pair a present result with {@link #release()}.
     */
    static Optional<DirectoryLock> openIfExists(Path lockFile) {
        return open(lockFile, false);
    }

    private static Optional<DirectoryLock> open(Path lockFile, boolean create) {
        Path key = lockFile.toAbsolutePath().normalize();
        synchronized (OPEN) {
            DirectoryLock lock = OPEN.get(key);
            if (lock == null) {
                try {
                    lock = new DirectoryLock(key, PrivateFiles.openLockFile(key, create));
                } catch (NoSuchFileException e) {
                    if (create) {
                        throw cannotOpen(key, e);
                    }
                    return Optional.empty();
                } catch (IOException e) {
                    throw cannotOpen(key, e);
                }
                OPEN.put(key, lock);
            }
            lock.users++;
            return Optional.of(lock);
        }
    }

    private static DriverException cannotOpen(Path lockFile, IOException e) {
        return new DriverException(
                "Cannot open the driver lock file "
                        + lockFile
                        + ": "
                        + e
                        + ": check that its directory exists and is writable by this user",
                e);
    }

    /** Drops one use; the last one closes the channel (no lock of this JVM is held by then). */
    void release() {
        synchronized (OPEN) {
            if (--users == 0) {
                OPEN.remove(path);
                try {
                    channel.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    Path path() {
        return path;
    }

    /**
     * Takes the launch lock, waiting at most {@code timeout} for other threads of this JVM and for
     * other processes; recreates the lock file if it was deleted meanwhile. Close the returned
     * guard to release it.
     */
    Held lockLaunch(Duration timeout) {
        return lockLaunch(timeout, true).orElseThrow();
    }

    /**
     * Like {@link #lockLaunch(Duration)}, but empty (nothing locked, nothing created) when the lock
     * file no longer exists: whoever deleted it held the launch lock and found no host.
     */
    Optional<Held> lockLaunchIfExists(Duration timeout) {
        return lockLaunch(timeout, false);
    }

    private Optional<Held> lockLaunch(Duration timeout, boolean create) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!mutex.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw timedOut(timeout, "another thread of this process");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("Interrupted while waiting for the driver lock " + path, e);
        }
        boolean locked = false;
        try {
            long parkNs = TimeUnit.MICROSECONDS.toNanos(100);
            while (true) {
                FileLock lock = channel.tryLock(LAUNCH_BYTE, 1, false);
                if (lock != null) {
                    Object current = PrivateFiles.fileKey(path);
                    if (fileKey == null || fileKey.equals(current)) {
                        locked = true;
                        return Optional.of(new Held(lock));
                    }
                    lock.release(); // we locked a deleted or replaced file, which nobody else
                    // looks at
                    if (!reopen(create)) {
                        return Optional.empty();
                    }
                    continue; // try the file the path names now at once
                }
                if (System.nanoTime() - deadline > 0) {
                    throw timedOut(
                            timeout,
                            marker().isEmpty()
                                    ? "another process"
                                    : "another process (last host " + marker() + ")");
                }
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new DriverException(
                            "Interrupted while waiting for the driver lock " + path);
                }
                LockSupport.parkNanos(parkNs);
                parkNs = Math.min(parkNs * 2, TimeUnit.MILLISECONDS.toNanos(20));
            }
        } catch (DriverException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DriverException("Cannot lock the driver lock file " + path + ": " + e, e);
        } finally {
            if (!locked) {
                mutex.unlock();
            }
        }
    }

    /**
     * Replaces the channel by one on the file the path names now (created if {@code create}); false
     * when there is none. Requires the mutex and no launch lock on the old file.
     */
    private boolean reopen(boolean create) throws IOException {
        PrivateFiles.LockFile file;
        try {
            file = PrivateFiles.openLockFile(path, create);
        } catch (NoSuchFileException e) {
            return false;
        }
        FileChannel old = channel;
        channel = file.channel();
        fileKey = file.fileKey();
        if (hostLock != null) {
            hostLock = null; // closing the old channel drops it; the file it was on is gone anyway
            LOG.warn(
                    "The driver lock file {} was deleted or replaced by another program while this process hosts "
                            + "the driver: other processes no longer see the host lock; do not remove the lock file of a "
                            + "running driver",
                    path);
        }
        old.close();
        return true;
    }

    /** Whether some process holds the host lock. Requires the launch lock. */
    Host host() throws IOException {
        requireMutex();
        if (hostLock != null) {
            return Host.HELD_HERE;
        }
        FileLock probe;
        try {
            probe = channel.tryLock(HOST_BYTE, 1, false);
        } catch (OverlappingFileLockException e) {
            return Host.HELD_HERE; // cannot happen while hostLock is null; be safe anyway
        }
        if (probe == null) {
            return Host.HELD_ELSEWHERE;
        }
        probe.release();
        return Host.FREE;
    }

    /**
     * Takes the host lock for this process and records {@code marker}. Requires the launch lock.
     */
    void takeHost(String marker) throws IOException {
        requireMutex();
        FileLock lock = channel.tryLock(HOST_BYTE, 1, false);
        if (lock == null) {
            throw new DriverException(
                    "The host lock in "
                            + path
                            + " is held by another process although the "
                            + "launch lock is ours: a process outside Troupe's protocol holds it; stop it");
        }
        hostLock = lock;
        byte[] bytes = (marker + "\n").getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(bytes), 0);
        channel.force(false);
    }

    /**
     * Clears the marker and drops the host lock. Requires the launch lock, or best effort at close.
     */
    void releaseHost() throws IOException {
        if (hostLock != null) {
            try {
                channel.truncate(0);
            } finally {
                hostLock.release();
                hostLock = null;
            }
        }
    }

    /**
     * Deletes the lock file if the platform lets us tell files apart and no process holds the host
     * lock; returns whether it did. Requires the launch lock: processes that wait for it on the
     * deleted file notice and move to a new file (see the class documentation).
     */
    boolean delete() throws IOException {
        requireMutex();
        if (fileKey == null || !fileKey.equals(PrivateFiles.fileKey(path)) || host() != Host.FREE) {
            return false; // no identity, or some program outside the protocol replaced it: leave it
        }
        return Files.deleteIfExists(path);
    }

    /**
     * The marker of the last Troupe host, e.g. {@code pid=42 start=1700000000000}, or "" if none.
     */
    String marker() {
        try {
            long size = Math.min(channel.size(), 256);
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            channel.read(buffer, 0);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII)
                    .trim();
        } catch (IOException e) {
            return "";
        }
    }

    private void requireMutex() {
        if (!mutex.isHeldByCurrentThread()) {
            throw new IllegalStateException(
                    "the launch lock of " + path + " is not held by this thread");
        }
    }

    private DriverException timedOut(Duration timeout, String holder) {
        return new DriverException(
                "Timed out after "
                        + timeout.toMillis()
                        + " ms waiting for the driver lock "
                        + path
                        + ", held by "
                        + holder
                        + " while it checks for, launches or closes a media driver: "
                        + "if that process hangs, stop it; otherwise raise troupe.remote.driver.lock-timeout");
    }

    /**
     * The launch lock, held until {@link #close()}; close once, on the thread that took it.
     *
     * <p>Thread safety: confined to the thread that took the lock.
     */
    final class Held implements AutoCloseable {
        private final FileLock lock;

        private Held(FileLock lock) {
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                lock.release();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                mutex.unlock();
            }
        }
    }
}
