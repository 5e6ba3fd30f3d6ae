package io.troupe.remote.driver;

import io.aeron.driver.MediaDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's use of the media driver in one Aeron directory, as returned by {@link
 * MediaDrivers#start}: either it <em>hosts</em> the driver (launched it; the driver runs on threads
 * of this process) or it <em>attached</em> to a driver hosted elsewhere.
 *
 * <p>Closing a hosting handle stops the driver and deletes the Aeron directory and its lock file,
 * so every other process's Aeron client loses its driver (see the package documentation); close it
 * after this process's own Aeron clients. Closing an attached handle does nothing to the driver.
 *
 * <p>Thread safety: thread-safe. {@link #close()} may be called from any thread, also from a
 * shutdown hook, and more than once: only the first call acts.
 */
public final class DriverHandle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DriverHandle.class);

    private final Path aeronDirectory;
    private final long driverPid;
    private final MediaDriver driver; // null when attached
    private final DirectoryLock lock; // null when attached
    private final Duration lockTimeout;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DriverHandle(
            Path aeronDirectory,
            long driverPid,
            MediaDriver driver,
            DirectoryLock lock,
            Duration lockTimeout) {
        this.aeronDirectory = aeronDirectory;
        this.driverPid = driverPid;
        this.driver = driver;
        this.lock = lock;
        this.lockTimeout = lockTimeout;
    }

    static DriverHandle attached(Path aeronDirectory, long driverPid) {
        return new DriverHandle(aeronDirectory, driverPid, null, null, null);
    }

    static DriverHandle hosted(
            Path aeronDirectory, MediaDriver driver, DirectoryLock lock, Duration lockTimeout) {
        return new DriverHandle(
                aeronDirectory, ProcessHandle.current().pid(), driver, lock, lockTimeout);
    }

    /** The Aeron directory; give it to {@code Aeron.Context.aeronDirectoryName}. */
    public Path aeronDirectory() {
        return aeronDirectory;
    }

    /**
     * Whether the driver runs inside this process (and stops when this handle closes or the process
     * exits).
     */
    public boolean hostsDriver() {
        return driver != null;
    }

    /** The pid of the process that hosts the driver, as written in its cnc.dat; -1 if unknown. */
    public long driverPid() {
        return driverPid;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Stops the hosted driver and deletes its directory, holding the launch lock so that no other
     * process attaches to a half-closed driver; then drops the host lock and deletes the lock file
     * {@code <aeron-dir>.lock}, still under the launch lock, so that nothing is left behind. A
     * process that opened the lock file just before the deletion locks the deleted file, notices
     * that the path no longer names it and moves to a new lock file (see {@link DirectoryLock}), so
     * it cannot run a second driver beside a process that created the new one. If the launch lock
     * cannot be had within lock-timeout the driver is closed anyway and the lock file kept
     * (deleting it without the lock would not be safe); the next start reuses it.
     *
     * <p>Does nothing for an attached handle, or when already closed.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true) || driver == null) {
            return;
        }
        DirectoryLock.Held held = null;
        try {
            held = lock.lockLaunch(lockTimeout);
        } catch (DriverException e) {
            // Closing must not hang or fail on a stuck peer: close anyway; a prober that runs
            // meanwhile
            // still sees the host lock and attaches, and its client fails over with a driver
            // timeout.
            LOG.warn(
                    "Closing the media driver in {} without the launch lock: {}",
                    aeronDirectory,
                    e.getMessage());
        }
        try {
            driver.close(); // dirDeleteOnShutdown: removes the Aeron directory
            LOG.info("Closed the media driver hosted in {}", aeronDirectory);
        } finally {
            try {
                lock.releaseHost();
                if (held != null
                        && !Files.exists(aeronDirectory, LinkOption.NOFOLLOW_LINKS)
                        && !lock.delete()) {
                    LOG.debug(
                            "Kept the driver lock file {}: another process holds its host lock, another program "
                                    + "replaced it, or this platform cannot tell files apart",
                            lock.path());
                }
            } catch (IOException e) {
                LOG.warn(
                        "Could not release the host lock or delete the lock file {}: {}",
                        lock.path(),
                        e.toString());
            } finally {
                if (held != null) {
                    held.close();
                }
                lock.release();
                if (held != null) {
                    PrivateFiles.removeUserDirectoryIfEmpty(aeronDirectory);
                }
            }
        }
    }

    /**
     * Checks that one more stream's log (3 x {@code termLength}) fits in this directory's file
     * system; see {@link FreeSpace#requireForStream}.
     *
     * @throws DriverException naming the directory, the space free and needed, and the fixes
     */
    public void requireSpaceForStream(int termLength, String stream) {
        FreeSpace.requireForStream(aeronDirectory, termLength, stream);
    }

    @Override
    public String toString() {
        return "DriverHandle["
                + aeronDirectory
                + (hostsDriver() ? ", hosted" : ", attached to pid " + driverPid)
                + (closed.get() ? ", closed]" : "]");
    }
}
