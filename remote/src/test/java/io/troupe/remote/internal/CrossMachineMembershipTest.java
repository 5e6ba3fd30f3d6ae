package io.troupe.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import io.troupe.remote.ActorKind;
import io.troupe.remote.Member;
import io.troupe.remote.MembershipEvent;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.testsupport.ClusterKits;
import io.troupe.remote.testsupport.TestAeronDir;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Membership, spawn by kind and node names across machines, in one JVM: machine A (127.0.0.2) and
 * machine B (127.0.0.3), each with its own Aeron directory, joined by Akka Cluster.
 */
class CrossMachineMembershipTest {
    record Ask(String text, ActorRef<String> replyTo) {}

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension final TestAeronDir machineA = new TestAeronDir();
    @RegisterExtension final TestAeronDir machineB = new TestAeronDir();
    @RegisterExtension final ClusterKits kits = new ClusterKits();

    private static final ActorKind<Ask> UPPER =
            ActorKind.of(
                    "upper",
                    Ask.class,
                    () ->
                            Behaviors.receive(Ask.class)
                                    .onMessage(
                                            Ask.class,
                                            a -> {
                                                a.replyTo().tell(a.text().toUpperCase());
                                                return Behaviors.same();
                                            })
                                    .build());

    @Test
    void shouldTellSubscribersOfNodesOnOtherMachinesAndSpawnThere() throws Exception {
        int seedPort = ClusterKits.freePort("127.0.0.2");
        String seed = "127.0.0.2:" + seedPort;
        ActorTestKit a1 = kits.start(machineA, "127.0.0.2", seedPort, "a1", seed);
        TestProbe<MembershipEvent> events = a1.createTestProbe(MembershipEvent.class);
        RemoteNode nodeA1 = RemoteNode.get(a1.system());
        nodeA1.subscribe(events.ref());
        ActorTestKit b1 =
                kits.start(machineB, "127.0.0.3", ClusterKits.freePort("127.0.0.3"), "b1", seed);
        RemoteNode nodeB1 = RemoteNode.get(b1.system());
        nodeB1.registerKind(UPPER);

        MembershipEvent.NodeUp up = events.expectMessageClass(MembershipEvent.NodeUp.class, WAIT);
        Member b = up.member();
        assertEquals("b1", b.name());
        assertEquals("127.0.0.3", b.host());
        assertEquals(ProcessHandle.current().pid(), b.pid()); // one JVM plays both machines
        assertEquals(nodeB1.members().isEmpty(), false);
        assertTrue(nodeA1.members().contains(b), nodeA1.members().toString());
        assertTrue(
                nodeB1.members().stream()
                        .anyMatch(m -> m.name().equals("a1") && m.host().equals("127.0.0.2")),
                nodeB1.members().toString());

        // A late subscriber gets the nodes of other machines that are up first.
        TestProbe<MembershipEvent> late = a1.createTestProbe(MembershipEvent.class);
        nodeA1.subscribe(late.ref());
        assertEquals(b, late.expectMessageClass(MembershipEvent.NodeUp.class, WAIT).member());

        // Spawn by kind on a node of the other machine; the ref answers across.
        ActorRef<Ask> upper =
                nodeA1.spawn("b1", UPPER)
                        .toCompletableFuture()
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("ClusterRef", Adapter.toClassic(upper).getClass().getSimpleName());
        assertEquals(
                "HELLO",
                AskPattern.<Ask, String>ask(upper, r -> new Ask("hello", r), WAIT, a1.scheduler())
                        .toCompletableFuture()
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS));

        // A kind not registered there fails, naming what is.
        ActorKind<Ask> other = ActorKind.of("lower", Ask.class, () -> Behaviors.ignore());
        ExecutionException e =
                assertThrows(
                        ExecutionException.class,
                        () ->
                                nodeA1.spawn("b1", other)
                                        .toCompletableFuture()
                                        .get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("no actor kind 'lower'"), e.getMessage());
        assertTrue(e.getCause().getMessage().contains("upper"), e.getMessage());

        // An unknown node: the lookup fails, naming the nodes up, here and on other machines.
        ExecutionException unknown =
                assertThrows(
                        ExecutionException.class,
                        () ->
                                nodeA1.lookup("nosuch", "x", Ask.class, Duration.ofMillis(500))
                                        .toCompletableFuture()
                                        .get(WAIT.toSeconds(), TimeUnit.SECONDS));
        String why = unknown.getCause().getMessage();
        assertTrue(why.contains("nosuch") && why.contains("up on other machines: b1"), why);

        // b1 leaves: a1's subscribers hear it, as LEFT.
        b1.shutdownTestKit();
        MembershipEvent.NodeDown down =
                events.expectMessageClass(MembershipEvent.NodeDown.class, WAIT);
        assertEquals(b, down.member());
        assertEquals(MembershipEvent.Reason.LEFT, down.reason(), down.detail());
        assertTrue(nodeA1.members().isEmpty(), nodeA1.members().toString());
    }

    @Test
    void shouldMakeTheYoungerOfTwoNodesWithOneNameLeave() throws Exception {
        int seedPort = ClusterKits.freePort("127.0.0.2");
        String seed = "127.0.0.2:" + seedPort;
        ActorTestKit first = kits.start(machineA, "127.0.0.2", seedPort, "orders", seed);
        TestProbe<MembershipEvent> events = first.createTestProbe(MembershipEvent.class);
        RemoteNode.get(first.system()).subscribe(events.ref());
        kits.awaitMembersUp(1, WAIT);

        ActorTestKit second =
                kits.start(
                        machineB, "127.0.0.3", ClusterKits.freePort("127.0.0.3"), "orders", seed);
        RemoteNode secondNode = RemoteNode.get(second.system());
        // The younger one leaves the cluster, and its actor system shuts down.
        second.system()
                .getWhenTerminated()
                .toCompletableFuture()
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        // What is left of it says why.
        ExecutionException closed =
                assertThrows(
                        ExecutionException.class,
                        () ->
                                secondNode
                                        .lookup("orders", "x", Ask.class, Duration.ofMillis(100))
                                        .toCompletableFuture()
                                        .get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(
                closed.getCause()
                        .getMessage()
                        .contains("node name 'orders' is taken by the node at"),
                closed.getCause().getMessage());
        // The older one never counted it as a member, and is still up.
        events.expectNoMessage(Duration.ofMillis(500));
        assertEquals(1, ClusterKits.membersUp(first));
        assertTrue(RemoteNode.get(first.system()).members().isEmpty());
    }
}
