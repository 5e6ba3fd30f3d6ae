package io.troupe.remote.driver;

import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.AeronException;
import io.aeron.exceptions.DriverTimeoutException;
import io.troupe.remote.RemoteSettings;
import io.troupe.remote.RemoteSettings.DriverMode;
import io.troupe.remote.launch.Directories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.SemanticVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds or launches the media driver of an Aeron directory, following {@code
 * troupe.remote.driver.mode}. All decisions are taken under the directory's launch lock (see {@link
 * DirectoryLock}), so processes starting at the same moment launch exactly one driver and never
 * delete a directory a live driver uses. Under the lock the directory is classified:
 *
 * <ul>
 *   <li><b>live</b>: a process holds the host lock, or the cnc.dat heartbeat is fresh and the
 *       driver was not hosted by a Troupe process that has since died: attach;
 *   <li><b>host died recently</b>: the host lock is free, the lock file's marker names the driver
 *       in cnc.dat, but its heartbeat is younger than driver-timeout: wait (at most driver-timeout)
 *       until {@code CommonContext.isDriverActive} says no, then treat as stale;
 *   <li><b>stale</b>: the directory exists but {@code isDriverActive} says no live driver (or
 *       cnc.dat never got initialised): delete it, then launch;
 *   <li><b>absent</b>: launch.
 * </ul>
 *
 * {@link #removeIfHostGone} applies the same tests under the same lock to remove what a dead host
 * left behind, without launching anything.
 *
 * <p>Thread safety: thread-safe; concurrent calls for one directory are serialised by the lock.
 */
public final class MediaDrivers {
    /**
     * Bytes of the driver's counter values buffer (a power of two; metadata takes four times as
     * much).
     */
    static final int COUNTER_VALUES_BYTES = 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(MediaDrivers.class);

    /**
     * Aeron's own default; raised when a long client-liveness-timeout requires it (driver checks
     * unblock > liveness).
     */
    private static final Duration MIN_PUBLICATION_UNBLOCK_TIMEOUT = Duration.ofSeconds(15);

    /** Parents already warned about (once per JVM each), see {@link #launch}. */
    private static final Set<Path> OPEN_PARENTS_WARNED = ConcurrentHashMap.newKeySet();

    private enum State {
        LIVE,
        HOST_DIED_RECENTLY,
        STALE,
        ABSENT
    }

    private MediaDrivers() {}

    /** Finds or launches the driver as {@code settings.driver().mode()} says. */
    public static DriverHandle start(RemoteSettings settings) {
        return start(settings, settings.driver().mode());
    }

    /**
     * Finds or launches the driver of {@code settings.aeronDir()} in the given mode.
     *
     * @throws DriverException when the mode cannot be satisfied (no live driver for {@code attach},
     *     a live one for {@code embedded}), the directory or its lock file belongs to another user,
     *     or the lock is not obtained within lock-timeout
     */
    public static DriverHandle start(RemoteSettings settings, DriverMode mode) {
        AeronAccess.require(); // before any file exists: without it Agrona fails mid-way
        Path dir = settings.aeronDir();
        boolean lockFileExisted = Files.exists(settings.lockFile(), LinkOption.NOFOLLOW_LINKS);
        DirectoryLock lock;
        try {
            lock = DirectoryLock.open(settings.lockFile());
        } catch (RuntimeException e) {
            PrivateFiles.removeUserDirectoryIfEmpty(dir);
            throw e;
        }
        DriverHandle result = null;
        boolean launching = false;
        DirectoryLock.Held held = null;
        try {
            held = lock.lockLaunch(settings.driver().lockTimeout());
            PrivateFiles.requirePrivate(dir, "Aeron directory", PrivateFiles.DIR_0700);
            Optional<String> incompatible = incompatibility(dir);
            State state =
                    incompatible.isPresent()
                            ? classifyIncompatible(
                                    dir,
                                    settings.lockFile(),
                                    lock,
                                    settings.driver().driverTimeout(),
                                    incompatible.get())
                            : classify(dir, lock, settings.driver().driverTimeout());
            if (state == State.LIVE) {
                if (mode == DriverMode.EMBEDDED) {
                    throw new DriverException(
                            "A media driver already runs in "
                                    + dir
                                    + " (pid "
                                    + CncFile.read(dir).map(CncFile::pid).orElse(-1L)
                                    + "), so troupe.remote.driver.mode = "
                                    + "embedded cannot launch another: use mode attach-or-launch to share it, or give this "
                                    + "process its own troupe.remote.aeron-dir");
                }
                long pid = CncFile.read(dir).map(CncFile::pid).orElse(-1L);
                LOG.info("Attached to the media driver in {} hosted by pid {}", dir, pid);
                result = DriverHandle.attached(dir, pid);
                return result;
            }
            if (mode == DriverMode.ATTACH) {
                if (state == State.ABSENT) {
                    lock.delete(); // nothing runs here: do not leave the lock file this attempt
                    // created behind
                }
                throw new DriverException(
                        "No live media driver runs in "
                                + dir
                                + " and troupe.remote.driver.mode = "
                                + "attach does not launch one: start one with `java --add-exports "
                                + "java.base/jdk.internal.misc=ALL-UNNAMED -cp <class path> "
                                + StandaloneDriver.class.getName()
                                + " --dir "
                                + dir
                                + "`, or set the mode to attach-or-launch");
            }
            if (state == State.HOST_DIED_RECENTLY) {
                awaitHeartbeatStale(dir, settings.driver().driverTimeout());
                state = State.STALE;
            }
            if (state == State.STALE) {
                LOG.warn(
                        "Removing the stale Aeron directory {} (no live driver; last host {})",
                        dir,
                        lock.marker());
                Directories.deleteRecursively(dir);
            }
            launching = true;
            result = launch(settings, lock);
            return result;
        } catch (IOException e) {
            throw new DriverException(
                    "I/O error while starting the media driver in " + dir + ": " + e, e);
        } catch (Error e) {
            DriverException clear = explain(e, settings).orElse(null);
            if (clear != null) {
                throw clear;
            }
            throw e;
        } finally {
            try {
                if (held != null) {
                    try {
                        if (result == null) {
                            removeWhatThisStartLeft(dir, lock, launching, lockFileExisted);
                        }
                    } finally {
                        held.close();
                    }
                }
            } finally {
                if (result == null || !result.hostsDriver()) {
                    lock.release();
                }
                if (result == null) {
                    PrivateFiles.removeUserDirectoryIfEmpty(dir);
                }
            }
        }
    }

    /**
     * After a failed start, still under the launch lock: removes the directory if this start was
     * launching a driver into it (it found none live there, so whatever is in it is this start's or
     * a dead host's), and the lock file if this start created it or the directory is gone, so that
     * a failed start leaves nothing behind. A lock file that was there before, beside a directory
     * this start did not touch, stays: its marker may name a host that died moments ago, which the
     * next start must recognise.
     */
    private static void removeWhatThisStartLeft(
            Path dir, DirectoryLock lock, boolean launching, boolean lockFileExisted) {
        try {
            if (launching) {
                Directories.deleteRecursively(dir);
            }
            if (!lockFileExisted || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                lock.delete();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "After the failed start in {}, could not remove {} or {}: {}; remove them by hand"
                            + " once no process uses them",
                    dir,
                    dir,
                    lock.path(),
                    e.toString());
        }
    }

    /**
     * Troupe's own error for a raw failure that start-up can meet in Aeron or Agrona, saying what
     * to do: the missing {@code --add-exports} flag ({@code IllegalAccessError}), a full file
     * system (Aeron's {@code insufficient usable storage}, or the {@code InternalError} of a write
     * into a mapped file that no longer fits); empty for anything else.
     */
    public static Optional<DriverException> explain(Throwable failure, RemoteSettings settings) {
        if (failure instanceof DriverException) {
            return Optional.empty();
        }
        if (AeronAccess.isMissingAccess(failure)) {
            return Optional.of(AeronAccess.missing(failure));
        }
        return Optional.ofNullable(
                FreeSpace.explainStorageRefusal(
                        failure, settings.aeronDir(), settings.termLength()));
    }

    /**
     * Removes the Aeron directory and its lock file if the Troupe process that hosted the driver
     * there is gone, for example SIGKILLed: a pool worker whose host died calls this after its own
     * Aeron client closed, so that the directory does not outlive the run. Uses the directory,
     * lock-timeout and driver-timeout of {@code settings}; see {@link #removeIfHostGone(Path,
     * Duration)}.
     */
    public static boolean removeIfHostGone(RemoteSettings settings) {
        return removeIfHostGone(
                settings.aeronDir(),
                settings.lockFile(),
                settings.driver().lockTimeout(),
                settings.driver().driverTimeout());
    }

    /**
     * Removes {@code aeronDir} and its lock file {@code <aeron-dir>.lock} if no process hosts a
     * driver there any more. Under the launch lock (waiting at most {@code lockTimeout}) it removes
     * both when the host lock is free and the directory has no initialised cnc.dat, or its cnc.dat
     * names the driver whose host last held the lock (that host is dead, however recent its
     * heartbeat), or its driver no longer heart-beats; a lock file without a directory beside a
     * free host lock is removed too. It touches nothing and returns false when a process holds the
     * host lock (this one included), when a driver not started by Troupe still heart-beats there
     * (within Aeron's default driver timeout, 10 s), or when there is no lock file (a directory
     * without one is not Troupe's to remove).
     *
     * <p>Several processes may call it at the same moment, as all workers of a killed host do: one
     * removes, the others find the lock file gone and return false.
     *
     * @return whether this call removed the directory or the lock file
     * @throws DriverException when the launch lock is not obtained within {@code lockTimeout}, the
     *     directory is a link or another user's, or the removal fails
     */
    public static boolean removeIfHostGone(Path aeronDir, Duration lockTimeout) {
        Path dir = aeronDir.toAbsolutePath().normalize();
        return removeIfHostGone(
                dir,
                dir.resolveSibling(dir.getFileName() + ".lock"),
                lockTimeout,
                Duration.ofMillis(CommonContext.DEFAULT_DRIVER_TIMEOUT_MS));
    }

    private static boolean removeIfHostGone(
            Path dir, Path lockFile, Duration lockTimeout, Duration driverTimeout) {
        Optional<DirectoryLock> opened = DirectoryLock.openIfExists(lockFile);
        if (opened.isEmpty()) {
            return false; // removed already (or never Troupe's): nothing to do
        }
        DirectoryLock lock = opened.get();
        try {
            Optional<DirectoryLock.Held> held = lock.lockLaunchIfExists(lockTimeout);
            if (held.isEmpty()) {
                return false; // another process removed it while we waited for the lock
            }
            try (DirectoryLock.Held ignored = held.get()) {
                PrivateFiles.requirePrivate(dir, "Aeron directory", PrivateFiles.DIR_0700);
                if (lock.host() != DirectoryLock.Host.FREE) {
                    return false;
                }
                String marker = lock.marker();
                Optional<CncFile> cnc = CncFile.read(dir);
                if (cnc.isPresent()
                        && !cnc.get().marker().equals(marker)
                        && isDriverActive(dir, driverTimeout)) {
                    return false; // a live driver started outside Troupe
                }
                boolean removedDir = Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
                Directories.deleteRecursively(dir);
                boolean removedLock = lock.delete();
                if (removedDir || removedLock) {
                    LOG.info(
                            "Removed {}{} left by a media-driver host that is gone (last host {})",
                            removedDir ? dir : lockFile,
                            removedDir && removedLock ? " and its lock file" : "",
                            marker.isEmpty() ? "unknown" : marker);
                }
                if (removedLock) {
                    PrivateFiles.removeUserDirectoryIfEmpty(dir);
                }
                return removedDir || removedLock;
            }
        } catch (IOException e) {
            throw new DriverException(
                    "I/O error while removing the Aeron directory "
                            + dir
                            + " of a gone host: "
                            + e
                            + ": remove it and "
                            + lockFile
                            + " by hand once no process uses them",
                    e);
        } finally {
            lock.release();
        }
    }

    private static State classify(Path dir, DirectoryLock lock, Duration driverTimeout)
            throws IOException {
        boolean exists = Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
        if (lock.host() != DirectoryLock.Host.FREE) {
            if (CncFile.read(dir).isEmpty()) {
                throw new DriverException(
                        "The host lock "
                                + lock.path()
                                + " says a process hosts a driver in "
                                + dir
                                + " ("
                                + lock.marker()
                                + "), but that directory has no initialised cnc.dat: it was "
                                + "removed under a running driver; stop that process and start again");
            }
            return State.LIVE;
        }
        if (!isDriverActive(dir, driverTimeout)) {
            return exists ? State.STALE : State.ABSENT;
        }
        Optional<CncFile> cnc = CncFile.read(dir);
        if (cnc.isPresent() && cnc.get().marker().equals(lock.marker())) {
            return State
                    .HOST_DIED_RECENTLY; // hosted by a Troupe process whose host lock the kernel
            // released
        }
        return State.LIVE; // a driver started outside Troupe (e.g. Aeron's own MediaDriver main)
    }

    /**
     * Why {@code dir} was set up by a version this process cannot share (its Troupe layout marker,
     * or without one its cnc.dat's version), or empty if it was not (or nothing is there).
     */
    private static Optional<String> incompatibility(Path dir) {
        Optional<LayoutMarker> marker = LayoutMarker.read(dir);
        if (marker.isPresent()) {
            Optional<String> why = marker.get().incompatibilityWith(LayoutMarker.current());
            if (why.isPresent()) {
                return why;
            }
        }
        return CncFile.read(dir).flatMap(cnc -> LayoutMarker.cncIncompatibility(cnc.version()));
    }

    /**
     * A directory of an incompatible version is refused while anything may still use it, and
     * removed like any other leftover when nothing can: when Troupe set it up (its marker is there)
     * and no Troupe process holds its host lock, its driver died with its host; if its cnc.dat is
     * of this Aeron's CnC major version the driver's heartbeat is checked as well. A directory
     * without Troupe's marker whose cnc.dat this Aeron cannot read is always refused: nothing tells
     * whether the driver that wrote it (started outside Troupe) still runs.
     */
    private static State classifyIncompatible(
            Path dir, Path lockFile, DirectoryLock lock, Duration driverTimeout, String why)
            throws IOException {
        Optional<LayoutMarker> marker = LayoutMarker.read(dir);
        Optional<CncFile> cnc = CncFile.read(dir);
        boolean cncReadable =
                cnc.isPresent() && LayoutMarker.cncIncompatibility(cnc.get().version()).isEmpty();
        String found =
                marker.map(LayoutMarker::describe).orElse("no Troupe marker")
                        + cnc.map(c -> ", cnc.dat version " + SemanticVersion.toString(c.version()))
                                .orElse("");
        if (lock.host() != DirectoryLock.Host.FREE) {
            throw refuse(
                    dir,
                    lockFile,
                    why,
                    found,
                    "a Troupe process hosts its driver ("
                            + (lock.marker().isEmpty() ? "see " + lockFile : lock.marker())
                            + ")");
        }
        if (marker.isEmpty() && !cncReadable) {
            throw refuse(
                    dir,
                    lockFile,
                    why,
                    found,
                    "it was not set up by Troupe and its cnc.dat cannot be read by this Aeron,"
                            + " so whether its driver still runs cannot be told");
        }
        if (cncReadable) {
            State state = classify(dir, lock, driverTimeout);
            if (state == State.LIVE) {
                throw refuse(
                        dir,
                        lockFile,
                        why,
                        found,
                        "its driver still runs (pid " + cnc.get().pid() + ")");
            }
            if (state == State.ABSENT || state == State.HOST_DIED_RECENTLY) {
                return state;
            }
        }
        LOG.warn(
                "The Aeron directory {} was left by an incompatible version ({}; found {}) whose host is gone: removing it",
                dir,
                why,
                found);
        return State.STALE;
    }

    private static DriverException refuse(
            Path dir, Path lockFile, String why, String found, String inUse) {
        return new DriverException(
                "Refusing the Aeron directory "
                        + dir
                        + ": "
                        + why
                        + ". Found "
                        + found
                        + "; this process"
                        + " needs "
                        + LayoutMarker.current().describe()
                        + ", and "
                        + inUse
                        + ". Give this process another directory"
                        + " (troupe.remote.aeron-dir, or another troupe.remote.cluster-name), or stop the processes that use "
                        + dir
                        + " and remove it and "
                        + lockFile
                        + ".");
    }

    private static boolean isDriverActive(Path dir, Duration driverTimeout) {
        try {
            return CommonContext.isDriverActive(dir.toFile(), driverTimeout.toMillis(), LOG::trace);
        } catch (DriverTimeoutException e) {
            // cnc.dat created but never initialised within driver-timeout: a launch that crashed,
            // since launches happen under the launch lock we hold.
            return false;
        } catch (AeronException e) {
            throw new DriverException(
                    "The cnc.dat in "
                            + dir
                            + " cannot be used: "
                            + e.getMessage()
                            + ": it was written by an incompatible Aeron version; stop that driver or choose another "
                            + "troupe.remote.aeron-dir",
                    e);
        }
    }

    /**
     * Waits, holding the launch lock, until a dead host's last heartbeat is older than
     * driver-timeout.
     */
    private static void awaitHeartbeatStale(Path dir, Duration driverTimeout) {
        LOG.info(
                "The host of the driver in {} died; waiting up to {} ms for its heartbeat to go stale",
                dir,
                driverTimeout.toMillis());
        long deadline = System.nanoTime() + driverTimeout.plusSeconds(1).toNanos();
        while (isDriverActive(dir, driverTimeout)) {
            if (System.nanoTime() - deadline > 0) {
                throw new DriverException(
                        "The driver in "
                                + dir
                                + " still heart-beats although the Troupe process "
                                + "that hosted it is gone: another driver was started there outside Troupe's lock; stop it "
                                + "or choose another troupe.remote.aeron-dir");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /** The context of a driver this process launches for {@code settings}. */
    static MediaDriver.Context driverContext(RemoteSettings settings) {
        Path dir = settings.aeronDir();
        RemoteSettings.DriverSettings d = settings.driver();
        Duration unblock = d.clientLivenessTimeout().multipliedBy(2);
        return new MediaDriver.Context()
                .aeronDirectoryName(dir.toString())
                .threadingMode(
                        ThreadingMode.SHARED) // one driver thread: machines here have 2 cores
                // IPC data never passes through the driver (publishers write the log,
                // subscribers read it), so a
                // spinning driver thread only takes a core from the nodes' spinning
                // transport threads.
                .sharedIdleStrategy(
                        (settings.idleStrategy() == RemoteSettings.IdleStrategyKind.LOW_LATENCY
                                        ? RemoteSettings.IdleStrategyKind.BACKOFF
                                        : settings.idleStrategy())
                                .newIdleStrategy())
                .ipcTermBufferLength(settings.termLength())
                // 1 MiB of counter values (16,384 counters; a node uses ~20) instead of
                // Aeron's 8 MiB, whose
                // metadata (4x the values) made cnc.dat 46 MiB of /dev/shm per driver;
                // measured 11 MiB with this.
                .counterValuesBufferLength(COUNTER_VALUES_BYTES)
                .clientLivenessTimeoutNs(d.clientLivenessTimeout().toNanos())
                .publicationUnblockTimeoutNs(
                        (unblock.compareTo(MIN_PUBLICATION_UNBLOCK_TIMEOUT) > 0
                                        ? unblock
                                        : MIN_PUBLICATION_UNBLOCK_TIMEOUT)
                                .toNanos())
                .driverTimeoutMs(d.driverTimeout().toMillis())
                .warnIfDirectoryExists(false)
                .dirDeleteOnStart(false) // never: it would wipe a directory another driver uses
                .dirDeleteOnShutdown(
                        true) // only the host launches with this, so only the host deletes
                .errorHandler(e -> LOG.error("Media driver in {} reported an error", dir, e));
    }

    private static DriverHandle launch(RemoteSettings settings, DirectoryLock lock)
            throws IOException {
        Path dir = settings.aeronDir();
        RemoteSettings.DriverSettings d = settings.driver();
        MediaDriver.Context context = driverContext(settings);
        FreeSpace.requireForDriver(dir, context, settings.termLength());
        if (PrivateFiles.othersCanEnter(dir.getParent())
                && OPEN_PARENTS_WARNED.add(dir.getParent())) {
            LOG.warn(
                    "The Aeron directory {} lies in {}, which other users can enter: for a few"
                            + " milliseconds after launch they could open the driver's cnc.dat."
                            + " Use the default troupe.remote.aeron-dir (under a per-user 0700"
                            + " directory), or one inside a directory only this user can enter.",
                    dir,
                    dir.getParent());
        }
        MediaDriver driver = MediaDriver.launch(context);
        boolean hostTaken = false;
        try {
            injectFailure(LaunchStep.LAUNCHED);
            LayoutMarker.current()
                    .write(dir); // before anyone can attach: they wait for the launch lock we hold
            PrivateFiles.makePrivate(dir);
            injectFailure(LaunchStep.MARKED);
            CncFile cnc =
                    CncFile.read(dir)
                            .orElseThrow(
                                    () ->
                                            new DriverException(
                                                    "The media driver launched in "
                                                            + dir
                                                            + " left no initialised cnc.dat: is another process deleting that directory?"));
            lock.takeHost(cnc.marker());
            hostTaken = true;
            injectFailure(LaunchStep.HOST_TAKEN);
            LOG.info(
                    "Launched a media driver in {} (term-length {} bytes, idle {}), hosted by this process (pid {})",
                    dir,
                    settings.termLength(),
                    settings.idleStrategy().configValue(),
                    ProcessHandle.current().pid());
            return DriverHandle.hosted(dir, driver, lock, d.lockTimeout());
        } catch (Throwable e) {
            try {
                if (hostTaken) {
                    lock.releaseHost();
                }
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            } finally {
                driver.close(); // stops its thread; dirDeleteOnShutdown removes the directory
            }
            throw e;
        }
    }

    /** The steps of a launch after which a test may inject a failure ({@link #failAfter}). */
    enum LaunchStep {
        LAUNCHED,
        MARKED,
        HOST_TAKEN
    }

    /**
     * Test hook, never set outside tests: a launch throws {@link InjectedFailure} right after this
     * step, to show that a failure there leaves nothing behind.
     */
    static volatile LaunchStep failAfter;

    private static void injectFailure(LaunchStep step) {
        if (failAfter == step) {
            throw new InjectedFailure("injected failure after launch step " + step);
        }
    }

    /** The failure {@link #failAfter} injects. */
    static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure(String message) {
            super(message);
        }
    }
}
