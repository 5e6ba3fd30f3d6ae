package io.troupe.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import io.troupe.remote.RemoteSettings;
import io.troupe.remote.testsupport.Threads;
import io.troupe.remote.testsupport.UserDirTree;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A node's start that fails after any step releases everything acquired so far: no transport or
 * Aeron thread, no file in the Aeron directory's tree (directory, lock files, the per-user
 * directory), and the locks are free, so a second start of the same node in the same directory
 * succeeds. The failure is injected through {@link StartUp#failAfter}.
 */
class StartUpTest {
    private static final Duration THREADS_GONE = Duration.ofSeconds(10);

    @RegisterExtension final UserDirTree tree = new UserDirTree();
    private ActorTestKit kit;
    private Set<String> threadsBefore;

    @BeforeEach
    void start() {
        kit = ActorTestKit.create("startup", tree.config("c1", "node-name", "alpha"));
        threadsBefore = Threads.transportThreads();
    }

    @AfterEach
    void shutdown() {
        StartUp.failAfter = null;
        kit.shutdownTestKit();
    }

    private void assertNothingLeft(String when) {
        assertEquals(
                List.of(),
                Threads.awaitNoNewTransportThreads(threadsBefore, THREADS_GONE),
                "threads left " + when);
        tree.assertNothingLeft(when);
    }

    @ParameterizedTest
    @EnumSource(StartUp.Step.class)
    void shouldLeaveNothingBehindWhenTheStartFailsAfterAnyStep(StartUp.Step step) {
        RemoteSettings settings = tree.settings("c1", "node-name", "alpha");
        StartUp.failAfter = step;

        StartUp.InjectedFailure e =
                assertThrows(
                        StartUp.InjectedFailure.class, () -> new Transport(kit.system(), settings));
        StartUp.failAfter = null;

        assertEquals("injected start-up failure after step " + step, e.getMessage());
        assertEquals(List.of(), List.of(e.getSuppressed()), "every release succeeded");
        assertNothingLeft("after a start that failed after step " + step);

        Transport again = new Transport(kit.system(), settings);
        try {
            assertTrue(again.driver().hostsDriver(), "the second start launched a driver again");
            assertTrue(
                    Threads.transportThreads().contains("troupe-transport-alpha"),
                    "the check sees a running node's thread: " + Threads.transportThreads());
        } finally {
            again.close();
        }
        assertNothingLeft("after the second start closed");
    }
}
