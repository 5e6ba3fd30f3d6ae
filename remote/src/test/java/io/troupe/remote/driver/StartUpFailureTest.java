package io.troupe.remote.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.remote.RemoteSettings;
import io.troupe.remote.launch.ChildJvm;
import io.troupe.remote.testsupport.TestJvms;
import io.troupe.remote.testsupport.Threads;
import io.troupe.remote.testsupport.UserDirTree;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A start that fails leaves nothing behind and says what to do: a failure injected after each step
 * of a driver launch ({@link MediaDrivers#failAfter}), and a JVM started without Aeron's {@code
 * --add-exports}, which a real child JVM shows as a user would meet it.
 */
class StartUpFailureTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension final UserDirTree tree = new UserDirTree();
    private final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        MediaDrivers.failAfter = null;
        children.forEach(ChildJvm::kill);
    }

    @ParameterizedTest
    @EnumSource(MediaDrivers.LaunchStep.class)
    void shouldLeaveNothingBehindWhenALaunchFailsAfterAnyStep(MediaDrivers.LaunchStep step) {
        RemoteSettings settings = tree.settings("c1");
        Set<String> before = Threads.transportThreads();
        MediaDrivers.failAfter = step;

        MediaDrivers.InjectedFailure e =
                assertThrows(
                        MediaDrivers.InjectedFailure.class, () -> MediaDrivers.start(settings));
        MediaDrivers.failAfter = null;

        assertEquals("injected failure after launch step " + step, e.getMessage());
        assertEquals(
                List.of(),
                Threads.awaitNoNewTransportThreads(before, Duration.ofSeconds(10)),
                "the driver's threads stopped");
        tree.assertNothingLeft("after a launch that failed after " + step);
        try (DriverHandle again = MediaDrivers.start(settings)) {
            assertTrue(again.hostsDriver(), "the lock is free: the next start launches");
            assertNotEquals(Set.of(), Threads.transportThreads(), "the driver's thread is seen");
        }
        tree.assertNothingLeft("after the second start closed");
    }

    @Test
    void shouldNameTheFlagAndWhereItGoesWhenAeronsAddExportsIsMissing() {
        ChildJvm child =
                TestJvms.startWithoutAddExports(
                        NodeStartChild.class,
                        List.of(
                                "-Dtroupe.remote.cluster-name=c1",
                                "-Dtroupe.remote.aeron-dir=" + tree.aeronDir("c1")));
        children.add(child);

        String failed = child.awaitLine("START (FAILED|STARTED)", CHILD_TIMEOUT);
        int exit = child.awaitExit(CHILD_TIMEOUT);

        assertEquals(1, exit, child.output());
        assertTrue(
                failed.startsWith(
                        "START FAILED io.troupe.remote.driver.DriverException: Aeron cannot run in this JVM: it needs the JVM option `--add-exports java.base/jdk.internal.misc=ALL-UNNAMED`"),
                failed);
        for (String where :
                List.of(
                        "on the java command line",
                        "Add-Exports: java.base/jdk.internal.misc",
                        "Surefire",
                        "<argLine>")) {
            assertTrue(failed.contains(where), "names " + where + ": " + failed);
        }
        assertFalse(child.output().contains("IllegalAccessError"), child.output());
        tree.assertNothingLeft("after a start without --add-exports");
    }

    @Test
    void shouldExplainAgronasIllegalAccessErrorWhenItSlipsThrough() {
        IllegalAccessError raw =
                new IllegalAccessError(
                        "class org.agrona.UnsafeApi (in unnamed module @0x1) cannot access class"
                                + " jdk.internal.misc.Unsafe (in module java.base) because module"
                                + " java.base does not export jdk.internal.misc to unnamed module"
                                + " @0x1");

        DriverException clear =
                MediaDrivers.explain(new ExceptionInInitializerError(raw), tree.settings("c1"))
                        .orElseThrow();

        assertTrue(clear.getMessage().contains("`" + AeronAccess.FLAG + "`"), clear.getMessage());
        assertTrue(AeronAccess.granted(), "this test JVM runs with the flag");
    }
}
