package io.troupe.remote.driver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock file beside an Aeron directory ({@code <aeron-dir>.lock}) and the two byte-range
 * locks Troupe takes on it:
 * <ul>
 *   <li><b>launch lock</b> (byte 0): held only while a process checks for, launches or closes
 *       the driver, so that check-and-launch is atomic across processes;</li>
 *   <li><b>host lock</b> (byte 1): held for its whole life by the process that hosts the driver.
 *       The kernel drops it when that process dies, even by SIGKILL, so a free host lock next to
 *       a cnc.dat written by a Troupe host proves the host is gone, without waiting for a
 *       heartbeat to age and without trusting PIDs (which differ across PID namespaces).</li>
 * </ul>
 * The file's content is a marker naming the hosted driver ({@code pid=… start=…}, from its
 * cnc.dat), so a prober can tell a Troupe-hosted driver from one started by other means.
 *
 * <p>POSIX record locks belong to the process, and closing any descriptor of the file releases
 * all of them. Hence one {@code DirectoryLock} (one channel) per lock file per JVM, shared
 * through {@link #open(Path)} with a reference count, plus an in-JVM mutex because the JVM
 * refuses overlapping locks from its own threads. The file is never deleted: deleting a lock
 * file that another process has open lets two processes "hold" it.
 *
 * <p>Thread safety: {@link #open}/{@link #release} are thread-safe; the host-lock methods must
 * be called while holding the launch lock ({@link #lockLaunch}).
 */
final class DirectoryLock {
    private static final Map<Path, DirectoryLock> OPEN = new HashMap<>(); // guarded by OPEN
    private static final long LAUNCH_BYTE = 0;
    private static final long HOST_BYTE = 1;

    private final Path path;
    private final FileChannel channel;
    private final ReentrantLock mutex = new ReentrantLock();
    private int users; // guarded by OPEN
    private FileLock hostLock; // guarded by mutex

    /** What the host lock says about the process hosting the driver. */
    enum Host { HELD_HERE, HELD_ELSEWHERE, FREE }

    private DirectoryLock(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** This JVM's instance for {@code lockFile}, opened (and created 0600) on first use; pair with {@link #release()}. */
    static DirectoryLock open(Path lockFile) {
        Path key = lockFile.toAbsolutePath().normalize();
        synchronized (OPEN) {
            DirectoryLock lock = OPEN.get(key);
            if (lock == null) {
                try {
                    lock = new DirectoryLock(key, PrivateFiles.openLockFile(key));
                } catch (IOException e) {
                    throw new DriverException("Cannot open the driver lock file " + key + ": " + e
                            + ": check that its directory exists and is writable by this user", e);
                }
                OPEN.put(key, lock);
            }
            lock.users++;
            return lock;
        }
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
     * Takes the launch lock, waiting at most {@code timeout} for other threads of this JVM and
     * for other processes. Close the returned guard to release it.
     */
    Held lockLaunch(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!mutex.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw timedOut(timeout, "another thread of this process");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("Interrupted while waiting for the driver lock " + path, e);
        }
        try {
            long parkNs = TimeUnit.MICROSECONDS.toNanos(100);
            while (true) {
                FileLock lock = channel.tryLock(LAUNCH_BYTE, 1, false);
                if (lock != null) {
                    return new Held(lock);
                }
                if (System.nanoTime() - deadline > 0) {
                    throw timedOut(timeout, marker().isEmpty() ? "another process" : "another process (last host " + marker() + ")");
                }
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new DriverException("Interrupted while waiting for the driver lock " + path);
                }
                LockSupport.parkNanos(parkNs);
                parkNs = Math.min(parkNs * 2, TimeUnit.MILLISECONDS.toNanos(20));
            }
        } catch (IOException | RuntimeException e) {
            mutex.unlock();
            if (e instanceof DriverException de) {
                throw de;
            }
            throw new DriverException("Cannot lock the driver lock file " + path + ": " + e, e);
        }
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

    /** Takes the host lock for this process and records {@code marker}. Requires the launch lock. */
    void takeHost(String marker) throws IOException {
        requireMutex();
        FileLock lock = channel.tryLock(HOST_BYTE, 1, false);
        if (lock == null) {
            throw new DriverException("The host lock in " + path + " is held by another process although the "
                    + "launch lock is ours: a process outside Troupe's protocol holds it; stop it");
        }
        hostLock = lock;
        byte[] bytes = (marker + "\n").getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(bytes), 0);
        channel.force(false);
    }

    /** Clears the marker and drops the host lock. Requires the launch lock, or best effort at close. */
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

    /** The marker of the last Troupe host, e.g. {@code pid=42 start=1700000000000}, or "" if none. */
    String marker() {
        try {
            long size = Math.min(channel.size(), 256);
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            channel.read(buffer, 0);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private void requireMutex() {
        if (!mutex.isHeldByCurrentThread()) {
            throw new IllegalStateException("the launch lock of " + path + " is not held by this thread");
        }
    }

    private DriverException timedOut(Duration timeout, String holder) {
        return new DriverException("Timed out after " + timeout.toMillis() + " ms waiting for the driver lock "
                + path + ", held by " + holder + " while it checks for, launches or closes a media driver: "
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
