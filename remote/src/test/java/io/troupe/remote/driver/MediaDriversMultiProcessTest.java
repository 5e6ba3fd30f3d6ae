package io.troupe.remote.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aeron.CommonContext;
import io.troupe.remote.launch.ChildJvm;
import io.troupe.remote.testsupport.TestAeronDir;
import io.troupe.remote.testsupport.TestJvms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Driver start-up and clean-up across real processes: the race, crashed hosts, removal of what a
 * killed host left, the lock file's deletion race, the standalone driver.
 */
class MediaDriversMultiProcessTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration EXIT = Duration.ofSeconds(20);
    private static final Pattern OUTCOME =
            Pattern.compile("^(LAUNCHED|ATTACHED) pid=(\\d+) driverPid=(-?\\d+)");

    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();
    private final List<ChildJvm> children = new ArrayList<>();
    private final List<DriverHandle> handles = new ArrayList<>();

    @AfterEach
    void killChildrenAndCloseDrivers() {
        children.forEach(ChildJvm::kill);
        handles.forEach(DriverHandle::close);
    }

    private ChildJvm child(Class<?> main, List<String> jvmOptions, String... args) {
        ChildJvm child = TestJvms.start(main, jvmOptions, args);
        children.add(child);
        return child;
    }

    private static Matcher outcome(ChildJvm child) {
        Matcher m = OUTCOME.matcher(child.awaitLine(OUTCOME, START));
        assertTrue(m.find());
        return m;
    }

    private static boolean driverActive(Path dir) {
        return CommonContext.isDriverActive(dir.toFile(), 3_000, s -> {});
    }

    @RepeatedTest(3)
    void shouldLaunchExactlyOneDriverWhenTwoProcessesStartAtTheSameMoment() {
        ChildJvm a = child(DriverChild.class, aeronDir.jvmOptions(), "--wait-for-go");
        ChildJvm b = child(DriverChild.class, aeronDir.jvmOptions(), "--wait-for-go");
        a.awaitLine("^READY$", START);
        b.awaitLine("^READY$", START);

        a.send("go");
        b.send("go");
        Matcher ma = outcome(a);
        Matcher mb = outcome(b);

        String context = "\n--- a ---\n" + a.output() + "\n--- b ---\n" + b.output();
        assertNotEquals(
                ma.group(1),
                mb.group(1),
                "exactly one child launches, the other attaches" + context);
        ChildJvm host = ma.group(1).equals("LAUNCHED") ? a : b;
        ChildJvm guest = host == a ? b : a;
        Matcher guestOutcome = host == a ? mb : ma;
        assertEquals(
                host.pid(),
                Long.parseLong(guestOutcome.group(3)),
                "the guest attached to the host's driver" + context);
        a.awaitLine("^CONNECTED", START);
        b.awaitLine("^CONNECTED", START);

        guest.send("exit");
        assertEquals(0, guest.awaitExit(EXIT), guest.output());
        assertTrue(driverActive(aeronDir.path()), "the guest leaving does not stop the driver");
        host.send("exit");
        assertEquals(0, host.awaitExit(EXIT), host.output());
        assertFalse(Files.exists(aeronDir.path()), "the host removes the directory when it closes");
        assertFalse(
                Files.exists(aeronDir.lockFile()), "the host removes the lock file when it closes");
        assertEquals(List.of(), leftovers(), "nothing of this test's directory is left");
    }

    @Test
    void shouldCleanStaleDirectoryAndLaunchWhenTheHostWasKilled() throws IOException {
        ChildJvm host =
                child(DriverChild.class, aeronDir.jvmOptions("driver.driver-timeout", "3s"));
        assertEquals("LAUNCHED", outcome(host).group(1), host.output());
        Path leftover =
                Files.writeString(
                        aeronDir.path().resolve("leftover.logbuffer"), "from the dead host");

        host.kill();
        long startNs = System.nanoTime();
        DriverHandle handle = MediaDrivers.start(aeronDir.settings("driver.driver-timeout", "3s"));
        handles.add(handle);
        Duration took = Duration.ofNanos(System.nanoTime() - startNs);

        assertTrue(handle.hostsDriver(), "a dead host's directory is replaced, not attached to");
        assertEquals(
                ProcessHandle.current().pid(), CncFile.read(aeronDir.path()).orElseThrow().pid());
        assertFalse(Files.exists(leftover), "the stale directory was cleaned");
        assertTrue(driverActive(aeronDir.path()));
        assertTrue(
                took.compareTo(Duration.ofSeconds(3 + 2)) < 0,
                "waited at most driver-timeout, took " + took);
        System.out.println(
                "Replaced a SIGKILLed host's driver after "
                        + took.toMillis()
                        + " ms (driver-timeout 3s)");
    }

    @Test
    void shouldRemoveDirectoryAndLockFileOnceWhenTheWorkersOfAKilledHostRemoveAtTheSameMoment() {
        ChildJvm host =
                child(DriverChild.class, aeronDir.jvmOptions("driver.driver-timeout", "3s"));
        assertEquals("LAUNCHED", outcome(host).group(1), host.output());
        List<ChildJvm> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            workers.add(
                    child(
                            WorkerChild.class,
                            aeronDir.jvmOptions(
                                    "driver.driver-timeout", "3s", "driver.mode", "attach")));
        }
        for (ChildJvm worker : workers) {
            worker.awaitLine("^ATTACHED .* hosts=false$", START);
        }

        host.kill();
        for (ChildJvm worker : workers) {
            worker.awaitLine("^DRIVER GONE$", START);
        }
        assertTrue(
                Files.exists(aeronDir.path()) && Files.exists(aeronDir.lockFile()),
                "SIGKILL leaves both behind");
        workers.forEach(worker -> worker.send("go"));

        int removed = 0;
        StringBuilder context = new StringBuilder();
        for (ChildJvm worker : workers) {
            String line = worker.awaitLine("^(REMOVED|FAILED) ", START);
            assertEquals(0, worker.awaitExit(EXIT), worker.output());
            removed += line.equals("REMOVED true") ? 1 : 0;
            context.append("\n--- ").append(worker).append(" ---\n").append(worker.output());
        }
        assertEquals(
                1,
                removed,
                "exactly one worker removes, the others find nothing to remove" + context);
        assertFalse(Files.exists(aeronDir.path()), "the directory is gone" + context);
        assertFalse(Files.exists(aeronDir.lockFile()), "the lock file is gone" + context);
        assertEquals(List.of(), leftovers());

        DriverHandle next = MediaDrivers.start(aeronDir.settings());
        handles.add(next);
        assertTrue(next.hostsDriver(), "a new attach-or-launch in the same directory launches");
        assertTrue(driverActive(aeronDir.path()));
        next.close();
        assertEquals(List.of(), leftovers(), "and leaves nothing when it closes");
    }

    @Test
    void shouldKeepEverythingWhenRemovingWhileTheHostIsAlive() throws IOException {
        ChildJvm host = child(DriverChild.class, aeronDir.jvmOptions());
        assertEquals("LAUNCHED", outcome(host).group(1), host.output());
        host.awaitLine("^CONNECTED", START);
        String marker = Files.readString(aeronDir.lockFile()).trim();

        assertFalse(MediaDrivers.removeIfHostGone(aeronDir.path(), Duration.ofSeconds(10)));
        assertFalse(MediaDrivers.removeIfHostGone(aeronDir.settings()));

        assertTrue(driverActive(aeronDir.path()), "the host's driver is left alone");
        assertEquals(
                marker,
                Files.readString(aeronDir.lockFile()).trim(),
                "the lock file is left alone");
        assertEquals("pid=" + host.pid(), marker.split(" ")[0]);
        DriverHandle attached = MediaDrivers.start(aeronDir.settings());
        handles.add(attached);
        assertFalse(attached.hostsDriver(), "others still attach to it");
        attached.close();
        host.send("exit");
        assertEquals(0, host.awaitExit(EXIT), host.output());
        assertEquals(List.of(), leftovers(), "the host cleans up when it exits");
    }

    @Test
    void shouldNotLetAProcessThatOpenedTheLockFileBeforeItsDeletionLockTheDeletedFile()
            throws IOException {
        DirectoryLock lock = DirectoryLock.open(aeronDir.lockFile());
        DirectoryLock.Held held = lock.lockLaunch(START);
        ChildJvm waiter;
        try {
            waiter = child(LockChild.class, List.of(), aeronDir.lockFile().toString());
            waiter.awaitLine(
                    "^OPENED$", START); // it has the file open and now waits for the launch lock
            assertTrue(lock.delete(), "no host: the lock file may be deleted");
        } finally {
            held.close();
            lock.release();
        }

        waiter.awaitLine("^LOCKED$", START);

        assertTrue(
                Files.exists(aeronDir.lockFile()),
                "the waiter moved to a new lock file rather than locking the "
                        + "deleted one\n"
                        + waiter.output());
        DirectoryLock latecomer = DirectoryLock.open(aeronDir.lockFile());
        try {
            DriverException e =
                    assertThrows(
                            DriverException.class,
                            () -> latecomer.lockLaunch(Duration.ofMillis(500)));
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "Timed out after 500 ms waiting for the driver lock "
                                            + aeronDir.lockFile()),
                    e.getMessage());
        } finally {
            latecomer.release();
        }
        waiter.send("exit");
        waiter.awaitLine("^UNLOCKED$", EXIT);
        assertEquals(0, waiter.awaitExit(EXIT), waiter.output());
    }

    /** Entries of /dev/shm (or the temp directory) that belong to this test's Aeron directory. */
    private List<String> leftovers() {
        try (Stream<Path> entries = Files.list(aeronDir.path().getParent())) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith(aeronDir.path().getFileName().toString()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void shouldAttachToStandaloneDriverAndStopItCleanlyOnSigterm() {
        ChildJvm driver =
                child(
                        StandaloneDriver.class,
                        List.of(),
                        "--dir",
                        aeronDir.path().toString(),
                        "--term-length",
                        "1m");
        driver.awaitLine(
                Pattern.quote(
                        "Troupe media driver running in "
                                + aeronDir.path()
                                + " (pid "
                                + driver.pid()),
                START);

        DriverHandle attached = MediaDrivers.start(aeronDir.settings());
        handles.add(attached);
        assertFalse(attached.hostsDriver());
        assertEquals(driver.pid(), attached.driverPid());
        attached.close();

        driver.terminate();
        driver.awaitLine("^Troupe media driver stopped", EXIT);
        assertEquals(143, driver.awaitExit(EXIT), "SIGTERM exit status\n" + driver.output());
        assertFalse(
                Files.exists(aeronDir.path()),
                "the standalone driver removes its directory\n" + driver.output());
    }

    @Test
    void shouldRefuseSecondStandaloneDriverWhenOneRunsInTheDirectory() {
        ChildJvm first =
                child(StandaloneDriver.class, List.of(), "--dir", aeronDir.path().toString());
        first.awaitLine("^Troupe media driver running in ", START);

        ChildJvm second =
                child(StandaloneDriver.class, List.of(), "--dir", aeronDir.path().toString());

        assertEquals(1, second.awaitExit(START), second.output());
        second.awaitLine(
                "A media driver already runs in " + Pattern.quote(aeronDir.path().toString()),
                EXIT);
        assertTrue(first.isAlive());
        assertTrue(driverActive(aeronDir.path()), "the first driver is left alone");
    }
}
