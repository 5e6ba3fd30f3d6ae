package io.troupe.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import io.troupe.remote.launch.ChildJvm;
import io.troupe.remote.testsupport.TestAeronDir;
import io.troupe.remote.testsupport.TestJvms;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node stalled longer than the heartbeat timeout (here: SIGSTOP) is declared down by the others,
 * who tell their watchers it is gone. When it runs again it must not carry on isolated, reaching
 * nobody: it learns it was evicted and, by default ({@code on-evicted = "terminate"}), terminates
 * its actor system, as Akka does after a quarantine. The healthy node is not taken down by the
 * stalled one's late view of the world.
 */
class EvictionMultiProcessTest {
    private static final String[] FAST =
            new String[] {"heartbeat-interval", "100ms", "heartbeat-timeout", "1s"};

    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();
    private ChildJvm child;
    private ActorTestKit kit;

    @AfterEach
    void tearDown() throws Exception {
        if (child != null) {
            signal("CONT", child.pid()); // a stopped process cannot die of SIGKILL's cleanup
            child.kill();
        }
        if (kit != null) {
            kit.shutdownTestKit();
        }
    }

    @Test
    void shouldTerminateAnEvictedNodeOnceItRunsAgainAndKeepTheHealthyOne() throws Exception {
        kit = ActorTestKit.create("keeper", aeronDir.config(with("node-name", "keeper")));
        RemoteNode node = RemoteNode.get(kit.system());
        TestProbe<MembershipEvent> events = kit.createTestProbe(MembershipEvent.class);
        node.subscribe(events.ref());
        child =
                TestJvms.start(
                        TestNodeMain.class,
                        aeronDir.jvmOptions(with("node-name", "stalled")),
                        "echo");
        child.awaitLine("READY stalled.*", Duration.ofSeconds(30));
        assertEquals(
                "stalled",
                events.expectMessageClass(MembershipEvent.NodeUp.class, Duration.ofSeconds(10))
                        .member()
                        .name());

        signal("STOP", child.pid());
        MembershipEvent.NodeDown down =
                events.expectMessageClass(MembershipEvent.NodeDown.class, Duration.ofSeconds(10));
        assertEquals(MembershipEvent.Reason.UNRESPONSIVE, down.reason());
        signal("CONT", child.pid());

        String evicted =
                child.awaitLine(".*was declared down by the other nodes.*", Duration.ofSeconds(20));
        assertTrue(evicted.contains("on-evicted = \"terminate\""), evicted);
        child.awaitLine("SYSTEM TERMINATED", Duration.ofSeconds(20));
        assertEquals(0, child.awaitExit(Duration.ofSeconds(20)), child.output());
        assertTrue(!node.system().whenTerminated().isCompleted(), "the healthy node runs on");
        assertTrue(node.members().isEmpty(), "the evicted incarnation stays down");
        events.expectNoMessage(Duration.ofMillis(500));
    }

    private static String[] with(String... keyValues) {
        String[] all = new String[FAST.length + keyValues.length];
        System.arraycopy(FAST, 0, all, 0, FAST.length);
        System.arraycopy(keyValues, 0, all, FAST.length, keyValues.length);
        return all;
    }

    /** Sends SIGSTOP or SIGCONT to a child this test started, by its pid. */
    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "kill -" + signal + " did not finish");
    }
}
