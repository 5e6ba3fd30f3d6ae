package io.troupe.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.AskPattern;
import io.troupe.remote.testsupport.ClusterKits;
import io.troupe.remote.testsupport.TestAeronDir;
import io.troupe.remote.testsupport.TestJvms;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A process pool stays per machine, also in cluster mode: the workers of a node that is an Akka
 * Cluster member join as members too (on its address, each on a port of its own), so a node on
 * another machine sees them come up and spawns a kind on one of them by name.
 */
class ClusterPoolTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension final TestAeronDir machineA = new TestAeronDir();
    @RegisterExtension final TestAeronDir machineB = new TestAeronDir();
    @RegisterExtension final ClusterKits kits = new ClusterKits();
    private ProcessPool pool;

    @AfterEach
    void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void shouldLetANodeOfAnotherMachineSpawnOnAPoolWorker() throws Exception {
        int seedPort = ClusterKits.freePort("127.0.0.2");
        String seed = "127.0.0.2:" + seedPort;
        ActorTestKit parent = kits.start(machineA, "127.0.0.2", seedPort, "parent", seed);
        ActorTestKit other =
                kits.start(machineB, "127.0.0.3", ClusterKits.freePort("127.0.0.3"), "b1", seed);
        RemoteNode b1 = RemoteNode.get(other.system());
        b1.register(TestProtocol.Command.class);
        TestProbe<MembershipEvent> events = other.createTestProbe(MembershipEvent.class);
        b1.subscribe(events.ref());

        pool =
                ProcessPool.launch(
                        parent.system(),
                        PoolOptions.workers(2)
                                .withWorkerSetup(TestKinds.Setup.class)
                                .withJvmOptions(TestJvms.quickStart("-Xmx128m")));

        Set<String> upAtB = new HashSet<>();
        while (!upAtB.containsAll(Set.of("parent", "worker-1", "worker-2"))) {
            MembershipEvent e = events.expectMessageClass(MembershipEvent.class, WAIT);
            if (e instanceof MembershipEvent.NodeUp up) {
                assertEquals("127.0.0.2", up.member().host(), up.toString());
                upAtB.add(up.member().name());
            }
        }
        ActorRef<TestProtocol.Command> echo =
                b1.spawn("worker-2", TestKinds.ECHO)
                        .toCompletableFuture()
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("ClusterRef", Adapter.toClassic(echo).getClass().getSimpleName());
        TestProtocol.Pong pong =
                AskPattern.<TestProtocol.Command, TestProtocol.Pong>ask(
                                echo, r -> new TestProtocol.Ping(7, r), WAIT, other.scheduler())
                        .toCompletableFuture()
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(new TestProtocol.Pong(7, "worker-2"), pong);
        assertTrue(
                RemoteNode.get(parent.system()).members().stream()
                        .anyMatch(m -> m.name().equals("worker-1") && m.host().equals("127.0.0.2")),
                RemoteNode.get(parent.system()).members().toString());
    }
}
