package io.troupe.remote;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.troupe.remote.testsupport.TestAeronDir;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Two clusters that share one Aeron directory (a mistaken {@code aeron-dir}) stay apart: heartbeats
 * name their cluster and frames carry its tag, so a node of another cluster is refused with a log
 * line naming both, never merged. Before, the cluster name never reached the wire and such nodes
 * joined each other silently.
 */
class ClusterIdentityTest {
    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();
    private final List<ActorTestKit> kits = new ArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger membershipLog =
            (Logger) LoggerFactory.getLogger("io.troupe.remote.internal.Membership");

    @AfterEach
    void tearDown() {
        membershipLog.detachAppender(log);
        for (int i = kits.size() - 1; i >= 0; i--) {
            kits.get(i).shutdownTestKit();
        }
    }

    private RemoteNode node(String name, String cluster) {
        ActorTestKit kit =
                ActorTestKit.create(
                        name,
                        aeronDir.config(
                                "node-name",
                                name,
                                "cluster-name",
                                cluster,
                                "heartbeat-interval",
                                "100ms"));
        kits.add(kit);
        return RemoteNode.get(kit.system());
    }

    @Test
    void shouldRefuseANodeOfAnotherClusterThatSharesTheAeronDirectory() throws Exception {
        log.start();
        membershipLog.addAppender(log);
        RemoteNode a = node("a", "blue");
        RemoteNode b = node("b", "green");
        RemoteNode c = node("c", "blue");

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (a.members().isEmpty() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(1_000_000);
        }
        assertTrue(
                a.members().stream().anyMatch(m -> m.name().equals("c")),
                "a node of the same cluster joins: " + a.members());
        while (refusals().isEmpty() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(1_000_000);
        }
        assertTrue(
                a.members().stream().noneMatch(m -> m.name().equals("b")),
                "blue must not see green's node: " + a.members());
        assertTrue(b.members().isEmpty(), "green must see nobody: " + b.members());
        String line = refusals().get(0);
        assertTrue(line.contains("of cluster 'green'") || line.contains("of cluster 'blue'"), line);
        assertTrue(line.contains("two clusters share one aeron-dir"), line);

        ExecutionException e =
                assertThrows(
                        ExecutionException.class,
                        () ->
                                a.lookup(
                                                "b",
                                                "x",
                                                TestProtocol.Command.class,
                                                Duration.ofMillis(300))
                                        .toCompletableFuture()
                                        .get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("no node named 'b' is up"), e.getMessage());
    }

    private List<String> refusals() {
        synchronized (log) {
            return log.list.stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("refuses node"))
                    .toList();
        }
    }
}
