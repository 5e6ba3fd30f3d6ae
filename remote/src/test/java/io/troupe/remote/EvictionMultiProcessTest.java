package io.troupe.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
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
 * its actor system, as Akka does after a quarantine; with {@code on-evicted = "rejoin"} it joins
 * again as a new incarnation of its name in the same process, its published names with it. The
 * healthy node is not taken down by the stalled one's late view of the world.
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

    @Test
    void shouldRejoinAsANewIncarnationWhenConfiguredAndServeItsPublishedNamesAgain()
            throws Exception {
        kit = ActorTestKit.create("keeper", aeronDir.config(with("node-name", "keeper")));
        RemoteNode node = RemoteNode.get(kit.system());
        TestProbe<MembershipEvent> events = kit.createTestProbe(MembershipEvent.class);
        node.subscribe(events.ref());
        child =
                TestJvms.start(
                        TestNodeMain.class,
                        aeronDir.jvmOptions(with("node-name", "stalled", "on-evicted", "rejoin")),
                        "echo");
        child.awaitLine("READY stalled.*", Duration.ofSeconds(30));
        long first =
                events.expectMessageClass(MembershipEvent.NodeUp.class, Duration.ofSeconds(10))
                        .member()
                        .incarnation();
        ActorRef<TestProtocol.Command> before = lookupEcho(node);
        assertEquals(1, ask(before, 1).seq());

        signal("STOP", child.pid());
        MembershipEvent.NodeDown down =
                events.expectMessageClass(MembershipEvent.NodeDown.class, Duration.ofSeconds(10));
        assertEquals(MembershipEvent.Reason.UNRESPONSIVE, down.reason());
        assertEquals(first, down.member().incarnation());
        signal("CONT", child.pid());

        String evicted =
                child.awaitLine(".*was declared down by the other nodes.*", Duration.ofSeconds(20));
        assertTrue(evicted.contains("joins again as a new incarnation"), evicted);
        MembershipEvent.NodeUp again =
                events.expectMessageClass(MembershipEvent.NodeUp.class, Duration.ofSeconds(20));
        assertEquals("stalled", again.member().name());
        assertNotEquals(first, again.member().incarnation(), "a new incarnation");
        assertEquals(child.pid(), again.member().pid(), "in the same process");

        ActorRef<TestProtocol.Command> after = lookupEcho(node);
        assertEquals(2, ask(after, 2).seq(), "the name it published before is served again");
        long deadBefore = node.counter("dead-letters.node-down");
        before.tell(new TestProtocol.Seq(1));
        assertEquals(
                deadBefore + 1,
                node.counter("dead-letters.node-down"),
                "a ref from before the eviction stays dead");
        assertFalse(child.output().contains("SYSTEM TERMINATED"), child.output());
        assertTrue(child.isAlive(), "the evicted process runs on");
    }

    private ActorRef<TestProtocol.Command> lookupEcho(RemoteNode node) throws Exception {
        return node.lookup("stalled", "echo", TestProtocol.Command.class)
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private TestProtocol.Pong ask(ActorRef<TestProtocol.Command> echo, int seq) throws Exception {
        return AskPattern.<TestProtocol.Command, TestProtocol.Pong>ask(
                        echo,
                        replyTo -> new TestProtocol.Ping(seq, replyTo),
                        Duration.ofSeconds(10),
                        kit.scheduler())
                .toCompletableFuture()
                .get(15, TimeUnit.SECONDS);
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
