/**
 * Media-driver lifecycle: who runs the Aeron media driver of a cluster's directory, and what
 * happens when it goes away.
 *
 * <h2>Who hosts the driver</h2>
 *
 * All nodes of a cluster on one machine share one Aeron directory ({@code troupe.remote.aeron-dir},
 * by default {@code /dev/shm/troupe-<user>-<cluster>}) and one media driver. With the default
 * {@code troupe.remote.driver.mode = attach-or-launch}, {@link
 * io.troupe.remote.driver.MediaDrivers#start} attaches to the live driver if there is one and
 * otherwise launches one inside the calling process, which then <em>hosts</em> it ({@link
 * io.troupe.remote.driver.DriverHandle#hostsDriver()}): usually the first node to start. The driver
 * runs on one thread of the host (threading mode SHARED, sized for 2-core machines) with the
 * configured IPC term length and idle strategy.
 *
 * <h2>Start-up is atomic across processes</h2>
 *
 * Check-and-launch happens under an exclusive byte-range lock on {@code <aeron-dir>.lock}, a file
 * <em>beside</em> the directory (the directory itself is deleted and recreated by drivers, a lock
 * inside it would vanish with it). Two processes starting at the same moment therefore launch
 * exactly one driver, and the second attaches. The host also holds a second byte-range lock for its
 * whole life and writes the driver's pid and start time into the lock file; the kernel releases
 * that lock when the host dies, however it dies. A directory is wiped only by a process holding the
 * launch lock, only when {@code CommonContext.isDriverActive} says no driver heart-beats there, and
 * never with Aeron's {@code dirDeleteOnStart} (which wipes a live driver's directory too). When the
 * host lock is free but the heartbeat is still fresh and the marker names that driver, its host
 * died moments ago: start-up waits (at most driver-timeout) for the heartbeat to go stale, then
 * replaces the directory, rather than attaching to a corpse.
 *
 * <h2>Nothing left behind</h2>
 *
 * A host that closes cleanly deletes the directory and then, still holding the launch lock and only
 * while no process holds the host lock, the lock file. When the host is killed instead, its
 * directory and lock file stay until someone removes them: the next start in that directory
 * replaces them, and {@link io.troupe.remote.driver.MediaDrivers#removeIfHostGone} removes them for
 * a process that will not start again (a pool worker whose parent died calls it after its own Aeron
 * client closed). That call acts only when the host lock is free and the directory has no live
 * driver other than the dead host's; concurrent callers are serialised by the launch lock and
 * exactly one of them removes.
 *
 * <p>Deleting a lock file races with a process that opened it just before: that process then locks
 * the deleted file while a later one creates and locks a new file, and both would believe they hold
 * the launch lock, so both could launch a driver into the same directory. This is not harmless, so
 * taking the launch lock includes a check: after locking, the path must still name the locked file
 * (same device and inode); if not, the lock is dropped and the path reopened (recreating the file,
 * or giving up when only removing). Only a holder of the launch lock on the current file deletes
 * it, so while one process holds it nobody else can pass the check. Where the platform has no file
 * identities (Windows) lock files are never deleted.
 *
 * <h2>Versions</h2>
 *
 * The host writes {@code troupe-layout.properties} into the directory right after its driver
 * started, under the launch lock: the Troupe wire version, the Aeron release and its CnC version. A
 * process that starts in an existing directory reads it (and the cnc.dat's version) under the same
 * lock. A directory set up by an incompatible version (another wire version, another Aeron major or
 * minor release, a CnC file of another major version) is refused with a {@link
 * io.troupe.remote.driver.DriverException} naming what was found, what this process needs, and the
 * fix (another {@code troupe.remote.aeron-dir}, or stop its processes and remove it and its lock
 * file) while anything may still use it: a Troupe process holds its host lock, or its driver still
 * heart-beats, or it has no Troupe marker and a cnc.dat this Aeron cannot read (then nothing tells
 * whether a driver started outside Troupe still runs). When Troupe set it up and its host is gone
 * (the host lock is free, and the heartbeat stale where this Aeron can read it), it is a leftover
 * of a crashed run and is removed and replaced like any other, with a warning. A directory with no
 * marker but a readable cnc.dat (a driver started outside Troupe, or by a Troupe before markers) is
 * used as before.
 *
 * <h2>When the host dies</h2>
 *
 * The driver dies with its host. Every other process's Aeron client stops seeing the driver's
 * heartbeat and, after {@code troupe.remote.driver.driver-timeout} (default 10 s), reports a {@code
 * DriverTimeoutException} to its error handler and closes; publications and subscriptions through
 * it stop working, so those nodes lose connectivity to every other node, not only to the host. A
 * host that exits normally closes its handle, which stops the driver and deletes the directory with
 * the same effect on the others, only sooner. The surviving nodes must then start the transport
 * again (one of them will launch a new driver, after a crash once the old heartbeat has gone
 * stale).
 *
 * <h2>When to use the standalone driver</h2>
 *
 * Run {@link io.troupe.remote.driver.StandaloneDriver} when no node process should be special: when
 * nodes come and go (workers, restarts during development) while others must keep talking, or when
 * the node that would otherwise host is the one most likely to crash. Start it first; nodes with
 * {@code attach} (fail fast if it is not running) or {@code attach-or-launch} use it. It stops
 * cleanly on SIGTERM, deleting the directory. Use {@code embedded} for a process that needs a
 * driver of its own in a directory of its own.
 *
 * <h2>Privacy</h2>
 *
 * The directory is made 0700 and the lock file 0600; a directory or lock file that is a symbolic
 * link or belongs to another user is refused. Aeron creates the directory and its first files
 * (cnc.dat, loss-report.dat) with the process umask before Troupe narrows them, so for a few
 * milliseconds at launch another local user could open those two (never the message logs, which are
 * created later inside the 0700 directory); use a umask of 077 to close that window.
 */
package io.troupe.remote.driver;
