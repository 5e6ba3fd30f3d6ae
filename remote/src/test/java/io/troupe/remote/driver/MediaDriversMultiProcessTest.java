package io.troupe.remote.driver;

import io.aeron.CommonContext;
import io.troupe.remote.testsupport.ChildJvm;
import io.troupe.remote.testsupport.TestAeronDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Driver start-up across real processes: the race, crashed hosts, the standalone driver. */
class MediaDriversMultiProcessTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration EXIT = Duration.ofSeconds(20);
    private static final Pattern OUTCOME = Pattern.compile("^(LAUNCHED|ATTACHED) pid=(\\d+) driverPid=(-?\\d+)");

    @RegisterExtension
    final TestAeronDir aeronDir = new TestAeronDir();
    private final List<ChildJvm> children = new ArrayList<>();
    private final List<DriverHandle> handles = new ArrayList<>();

    @AfterEach
    void killChildrenAndCloseDrivers() {
        children.forEach(ChildJvm::kill);
        handles.forEach(DriverHandle::close);
    }

    private ChildJvm child(Class<?> main, List<String> jvmOptions, String... args) {
        ChildJvm child = ChildJvm.start(main, jvmOptions, args);
        children.add(child);
        return child;
    }

    private static Matcher outcome(ChildJvm child) {
        Matcher m = OUTCOME.matcher(child.awaitLine(OUTCOME, START));
        assertTrue(m.find());
        return m;
    }

    private static boolean driverActive(Path dir) {
        return CommonContext.isDriverActive(dir.toFile(), 3_000, s -> { });
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
        assertNotEquals(ma.group(1), mb.group(1), "exactly one child launches, the other attaches" + context);
        ChildJvm host = ma.group(1).equals("LAUNCHED") ? a : b;
        ChildJvm guest = host == a ? b : a;
        Matcher guestOutcome = host == a ? mb : ma;
        assertEquals(host.pid(), Long.parseLong(guestOutcome.group(3)), "the guest attached to the host's driver" + context);
        a.awaitLine("^CONNECTED", START);
        b.awaitLine("^CONNECTED", START);

        guest.send("exit");
        assertEquals(0, guest.awaitExit(EXIT), guest.output());
        assertTrue(driverActive(aeronDir.path()), "the guest leaving does not stop the driver");
        host.send("exit");
        assertEquals(0, host.awaitExit(EXIT), host.output());
        assertFalse(Files.exists(aeronDir.path()), "the host removes the directory when it closes");
    }

    @Test
    void shouldCleanStaleDirectoryAndLaunchWhenTheHostWasKilled() throws IOException {
        ChildJvm host = child(DriverChild.class, aeronDir.jvmOptions("driver.driver-timeout", "3s"));
        assertEquals("LAUNCHED", outcome(host).group(1), host.output());
        Path leftover = Files.writeString(aeronDir.path().resolve("leftover.logbuffer"), "from the dead host");

        host.kill();
        long startNs = System.nanoTime();
        DriverHandle handle = MediaDrivers.start(aeronDir.settings("driver.driver-timeout", "3s"));
        handles.add(handle);
        Duration took = Duration.ofNanos(System.nanoTime() - startNs);

        assertTrue(handle.hostsDriver(), "a dead host's directory is replaced, not attached to");
        assertEquals(ProcessHandle.current().pid(), CncFile.read(aeronDir.path()).orElseThrow().pid());
        assertFalse(Files.exists(leftover), "the stale directory was cleaned");
        assertTrue(driverActive(aeronDir.path()));
        assertTrue(took.compareTo(Duration.ofSeconds(3 + 2)) < 0, "waited at most driver-timeout, took " + took);
        System.out.println("Replaced a SIGKILLed host's driver after " + took.toMillis() + " ms (driver-timeout 3s)");
    }

    @Test
    void shouldAttachToStandaloneDriverAndStopItCleanlyOnSigterm() {
        ChildJvm driver = child(StandaloneDriver.class, List.of(), "--dir", aeronDir.path().toString(),
                "--term-length", "1m");
        driver.awaitLine(Pattern.quote("Troupe media driver running in " + aeronDir.path() + " (pid " + driver.pid()), START);

        DriverHandle attached = MediaDrivers.start(aeronDir.settings());
        handles.add(attached);
        assertFalse(attached.hostsDriver());
        assertEquals(driver.pid(), attached.driverPid());
        attached.close();

        driver.terminate();
        driver.awaitLine("^Troupe media driver stopped", EXIT);
        assertEquals(143, driver.awaitExit(EXIT), "SIGTERM exit status\n" + driver.output());
        assertFalse(Files.exists(aeronDir.path()), "the standalone driver removes its directory\n" + driver.output());
    }

    @Test
    void shouldRefuseSecondStandaloneDriverWhenOneRunsInTheDirectory() {
        ChildJvm first = child(StandaloneDriver.class, List.of(), "--dir", aeronDir.path().toString());
        first.awaitLine("^Troupe media driver running in ", START);

        ChildJvm second = child(StandaloneDriver.class, List.of(), "--dir", aeronDir.path().toString());

        assertEquals(1, second.awaitExit(START), second.output());
        second.awaitLine("A media driver already runs in " + Pattern.quote(aeronDir.path().toString()), EXIT);
        assertTrue(first.isAlive());
        assertTrue(driverActive(aeronDir.path()), "the first driver is left alone");
    }
}
