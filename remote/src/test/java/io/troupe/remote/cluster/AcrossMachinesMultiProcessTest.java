package io.troupe.remote.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.remote.launch.ChildJvm;
import io.troupe.remote.testsupport.ClusterKits;
import io.troupe.remote.testsupport.TestAeronDir;
import io.troupe.remote.testsupport.TestJvms;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two machines, two JVMs each: machine A (127.0.0.2: a1, the seed, and a2) and machine B
 * (127.0.0.3: b1 and b2), each machine with its own Aeron directory and media driver, joined by
 * Akka Cluster over Artery TCP. Asks and lookups cross machines; a ref travels a1 -> b2 -> a2 and
 * a2 answers a1 over IPC; a SIGKILLed process on B gives its watcher on A {@code Terminated} within
 * the failure detector's bound (measured and printed); and when the last process of B is
 * SIGSTOPped, the Split Brain Resolver keeps the majority (A) and downs B, whose process shuts down
 * once it runs again.
 *
 * <p>The failure detector is set tighter than Akka's defaults, so the test stays short: heartbeats
 * every 500 ms, 2 s of acceptable pause, and the resolver acts after 3 s of stability.
 */
class AcrossMachinesMultiProcessTest {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long HEARTBEAT_MS = 500;
    private static final long PAUSE_MS = 2000;
    private static final long STABLE_MS = 3000;

    @RegisterExtension final TestAeronDir machineA = new TestAeronDir();
    @RegisterExtension final TestAeronDir machineB = new TestAeronDir();
    private final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        for (ChildJvm c : children) {
            c.kill();
        }
    }

    private ChildJvm start(
            TestAeronDir machine,
            String host,
            int port,
            String name,
            int seedPort,
            String... args) {
        List<String> options =
                new ArrayList<>(machine.jvmOptions("cluster-name", "shop", "node-name", name));
        options.add("-Dtroupe.cluster.enabled=on");
        options.add("-Dtroupe.cluster.hostname=" + host);
        options.add("-Dtroupe.cluster.port=" + port);
        options.add("-Dtroupe.cluster.seed-nodes.0=127.0.0.2:" + seedPort);
        options.add("-Dakka.cluster.failure-detector.heartbeat-interval=" + HEARTBEAT_MS + "ms");
        options.add(
                "-Dakka.cluster.failure-detector.acceptable-heartbeat-pause=" + PAUSE_MS + "ms");
        options.add("-Dakka.cluster.split-brain-resolver.stable-after=" + STABLE_MS + "ms");
        ChildJvm child = TestJvms.start(ClusterNodeMain.class, options, args);
        children.add(child);
        child.awaitLine("READY " + name, START);
        return child;
    }

    @Test
    void shouldAskWatchAndResolveASplitAcrossMachines() throws Exception {
        int seedPort = ClusterKits.freePort("127.0.0.2");
        ChildJvm a1 = start(machineA, "127.0.0.2", seedPort, "a1", seedPort);
        ChildJvm b1 =
                start(machineB, "127.0.0.3", ClusterKits.freePort("127.0.0.3"), "b1", seedPort);
        ChildJvm a2 =
                start(machineA, "127.0.0.2", ClusterKits.freePort("127.0.0.2"), "a2", seedPort);
        a1.awaitLine("NODE_UP a2 127.0.0.2", WAIT);
        a1.awaitLine("NODE_UP b1 127.0.0.3", WAIT);
        a2.awaitLine("NODE_UP b1 127.0.0.3", WAIT);
        // b2 relays pings to a2's echo; it looks a2 up across machines as it starts.
        ChildJvm b2 =
                start(
                        machineB,
                        "127.0.0.3",
                        ClusterKits.freePort("127.0.0.3"),
                        "b2",
                        seedPort,
                        "forward",
                        "a2");
        assertTrue(b1.awaitLine("READY b1", WAIT).endsWith("driver true"), "b1 hosts B's driver");
        assertTrue(b2.awaitLine("READY b2", WAIT).endsWith("driver false"));
        a1.awaitLine("NODE_UP b2 127.0.0.3", WAIT);
        b2.awaitLine("NODE_UP a1 127.0.0.2", WAIT);

        // Asks: across machines over Artery, on one machine over IPC.
        a1.send("ping b2 1");
        assertTrue(a1.awaitLine("PONG 1 ", WAIT).endsWith("b2 ClusterRef"));
        a2.send("ping a1 2");
        assertTrue(a2.awaitLine("PONG 2 ", WAIT).endsWith("a1 RemoteActorRef"));
        b1.send("ping a2 3");
        assertTrue(b1.awaitLine("PONG 3 ", WAIT).endsWith("a2 ClusterRef"));

        // a1's reply ref goes to B (b2) and back to A (a2), which answers a1 over IPC.
        a1.send("relay b2 4");
        String relayed = a1.awaitLine("RELAYED 4 ", WAIT);
        assertTrue(relayed.startsWith("RELAYED 4 a2 ipc "), relayed);
        assertTrue(relayed.endsWith(" across 0"), "the pong came over IPC: " + relayed);
        assertTrue(!relayed.contains(" ipc 0 "), relayed);

        // Death watch across machines: SIGKILL b2, measure until a1's watcher hears it.
        a1.send("watch b2");
        a1.awaitLine("WATCHING b2", WAIT);
        long killedAt = System.currentTimeMillis();
        b2.killProcessOnly();
        String terminated = a1.awaitLine("TERMINATED b2 ", WAIT);
        long tookMs = Long.parseLong(terminated.substring("TERMINATED b2 ".length())) - killedAt;
        // Bound: the detector's acceptable pause plus a heartbeat, the resolver's stable-after, and
        // a few gossip rounds (1 s each) to agree on unreachability and removal.
        long boundMs = PAUSE_MS + HEARTBEAT_MS + STABLE_MS + 4000;
        System.out.printf(
                "Across machines: Terminated for a SIGKILLed process %d ms after the kill"
                        + " (bound %d ms)%n",
                tookMs, boundMs);
        assertTrue(tookMs <= boundMs + 5000, "Terminated after " + tookMs + " ms");
        assertTrue(a1.awaitLine("NODE_DOWN b2 ", WAIT).contains(" UNRESPONSIVE "));
        assertTrue(b1.awaitLine("NODE_DOWN b2 ", WAIT).contains(" EXITED "), "same machine: pid");

        // Split brain: B's last process stops. A is the majority (2 of 3) and downs it.
        signal("STOP", b1.pid());
        try {
            assertTrue(a1.awaitLine("NODE_DOWN b1 ", WAIT).contains(" UNRESPONSIVE "));
            a2.awaitLine("NODE_DOWN b1 ", WAIT);
        } finally {
            signal("CONT", b1.pid());
        }
        // Running again, b1 learns it was downed, and its actor system shuts down.
        b1.awaitLine("SYSTEM TERMINATED", WAIT);
        a1.send("members");
        assertEquals("MEMBERS 2 TROUPE 1", a1.awaitLine("MEMBERS ", WAIT));
        a1.send("ping a2 5");
        a1.awaitLine("PONG 5 a2", WAIT);
    }

    /** Sends SIGSTOP or SIGCONT to a child this test started, by its pid. */
    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "kill -" + signal + " did not finish");
    }
}
