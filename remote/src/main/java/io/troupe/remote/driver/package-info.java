/**
 * Media-driver lifecycle: who runs the Aeron media driver of a cluster's directory, and what
 * happens when it goes away.
 *
 * <h2>Who hosts the driver</h2>
 *
 * All nodes of a cluster on one machine share one Aeron directory ({@code troupe.remote.aeron-dir},
 * by default {@code /dev/shm/troupe-<user>/<cluster>}) and one media driver. With the default
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
 * <h2>Threat model</h2>
 *
 * <p><b>Processes of the same user are trusted.</b> They map the same shared memory as the driver
 * (cnc.dat, every stream's log), so any of them can read or write every stream, forge frames or
 * corrupt the driver's state; nothing in shared memory can stop them, and Troupe does not try.
 * Inbound bytes are still checked (a buggy or hostile peer cannot make a node instantiate
 * unregistered classes or crash it), but a same-user process is inside the trust boundary.
 *
 * <p><b>Other users are kept out by the file system.</b> All of a user's clusters live in the
 * per-user directory {@code troupe-<user>} (the default Aeron directory is {@code
 * /dev/shm/troupe-<user>/<cluster>}, its lock file {@code <cluster>.lock} beside it). Troupe
 * creates that directory 0700 <em>before</em> anything is written into it, and refuses it (with a
 * {@link io.troupe.remote.driver.DriverException} saying whose it is and what to do) when it is a
 * symbolic link, not a directory, or owned by another user; a wider one of this user is narrowed to
 * 0700. That closes the window Aeron itself leaves open: it creates the Aeron directory and its
 * first files (cnc.dat, loss-report.dat) with the process umask (usually 0755/0644) and only then
 * can Troupe narrow them to 0700/0600, but another user cannot enter the per-user directory to
 * reach them meanwhile. The Aeron directory and its lock file are made private as well, and a
 * directory or lock file that is a link or another user's is refused.
 *
 * <p>An {@code aeron-dir} set by hand is used where it is: its missing parents are created 0700,
 * but an existing parent that other users can enter (such as {@code /dev/shm} itself) leaves the
 * window open, which a warning says once per JVM; put such a directory inside one only its user can
 * enter, or run with a umask of 077.
 *
 * <p>The per-user directory is removed by whoever leaves it empty: a host closing its driver, a
 * start that failed, a worker removing a dead host's leftovers. Removal is a plain rmdir, which
 * fails while any cluster's directory or lock file is in it, and never touches another user's
 * directory. A process of another cluster that created it just before and is about to create its
 * lock file finds it gone and creates it again; once its lock file is inside, nobody can remove it.
 *
 * <h2>Start-up failures</h2>
 *
 * <p>{@link io.troupe.remote.driver.MediaDrivers#start} first checks that the JVM exports {@code
 * jdk.internal.misc} to Agrona (the {@code --add-exports} flag) and that the file system has room
 * for the driver's files ({@link io.troupe.remote.driver.FreeSpace}); nodes check again before each
 * new stream. A start that fails after any step releases what it took, in reverse: the host lock,
 * the driver it launched (and with it the directory), the lock file it created, the per-user
 * directory if it left that empty. Raw Aeron and Agrona failures (an {@code IllegalAccessError},
 * Aeron's {@code insufficient usable storage}, the {@code InternalError} of a faulting mapped
 * write) are reported as a {@link io.troupe.remote.driver.DriverException} that says what to do.
 */
package io.troupe.remote.driver;
