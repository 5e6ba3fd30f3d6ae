package io.troupe.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import io.troupe.core.TroupeConfig;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.testsupport.ClusterKits;
import io.troupe.remote.testsupport.TestAeronDir;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two machines in one JVM: machine A (127.0.0.2, one Aeron directory, nodes a1 and a2) and machine
 * B (127.0.0.3, its own directory, node b1), joined by Akka Cluster. A ref travels a1 -> b1 -> a2
 * and a2 reaches a1 over IPC with it; an ask crosses machines over Artery.
 */
class CrossMachineRefTest {
    sealed interface Cmd permits Carry, Hello, Ping {}

    record Carry(ActorRef<Hello> target) implements Cmd {}

    record Hello(String who) implements Cmd {}

    record Ping(ActorRef<Hello> replyTo) implements Cmd {}

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension final TestAeronDir machineA = new TestAeronDir();
    @RegisterExtension final TestAeronDir machineB = new TestAeronDir();
    @RegisterExtension final ClusterKits kits = new ClusterKits();

    private ActorTestKit node(
            TestAeronDir machine, String host, int port, String name, String seed) {
        ActorTestKit kit = kits.start(machine, host, port, name, seed);
        RemoteNode.get(kit.system()).register(Cmd.class);
        return kit;
    }

    /**
     * The nodes of one machine must agree on troupe.cluster.enabled (their refs are written
     * differently): a node of the other mode is refused, and neither sees the other.
     */
    @Test
    void shouldRefuseANodeOfTheOtherModeOnTheSameMachine() throws Exception {
        int port = ClusterKits.freePort("127.0.0.2");
        ActorTestKit member = node(machineA, "127.0.0.2", port, "member", "127.0.0.2:" + port);
        ActorTestKit plain =
                ActorTestKit.create(
                        "shop",
                        TroupeConfig.load(
                                ConfigFactory.parseMap(
                                        Map.of(
                                                "troupe.remote.aeron-dir",
                                                machineA.path().toString(),
                                                "troupe.remote.cluster-name",
                                                "shop",
                                                "troupe.remote.node-name",
                                                "plain",
                                                "troupe.remote.heartbeat-interval",
                                                "100ms"))));
        try {
            TestProbe<io.troupe.remote.MembershipEvent> atMember =
                    member.createTestProbe(io.troupe.remote.MembershipEvent.class);
            TestProbe<io.troupe.remote.MembershipEvent> atPlain =
                    plain.createTestProbe(io.troupe.remote.MembershipEvent.class);
            RemoteNode.get(member.system()).subscribe(atMember.ref());
            RemoteNode.get(plain.system()).subscribe(atPlain.ref());
            atMember.expectNoMessage(
                    Duration.ofSeconds(2)); // 4 heartbeats of the member, 20 of plain
            atPlain.expectNoMessage(Duration.ofMillis(200));
            assertTrue(RemoteNode.get(member.system()).members().isEmpty());
            assertTrue(RemoteNode.get(plain.system()).members().isEmpty());
        } finally {
            plain.shutdownTestKit();
        }
    }

    private static <T> ActorRef<T> across(ActorTestKit from, ActorTestKit home, ActorRef<T> ref) {
        String path = ActorRefResolver.get(home.system()).toSerializationFormat(ref);
        return ActorRefResolver.get(from.system()).resolveActorRef(path);
    }

    @Test
    void shouldBringARefThatCameBackFromAnotherMachineHomeOverIpcAndAskAcross() throws Exception {
        int portA1 = ClusterKits.freePort("127.0.0.2");
        String seed = "127.0.0.2:" + portA1;
        ActorTestKit a1 = node(machineA, "127.0.0.2", portA1, "a1", seed);
        ActorTestKit a2 =
                node(machineA, "127.0.0.2", ClusterKits.freePort("127.0.0.2"), "a2", seed);
        ActorTestKit b1 =
                node(machineB, "127.0.0.3", ClusterKits.freePort("127.0.0.3"), "b1", seed);
        kits.awaitMembersUp(3, WAIT);

        TestProbe<String> seen = a2.createTestProbe(String.class);
        ActorRef<Cmd> user =
                a2.spawn(
                        Behaviors.receive(Cmd.class)
                                .onMessage(
                                        Carry.class,
                                        c -> {
                                            seen.ref()
                                                    .tell(
                                                            Adapter.toClassic(c.target())
                                                                    .getClass()
                                                                    .getSimpleName());
                                            c.target().tell(new Hello("from a2"));
                                            return Behaviors.same();
                                        })
                                .build(),
                        "user");
        ActorRef<Cmd> userFromB = across(b1, a2, user);
        TestProbe<String> seenAtB = b1.createTestProbe(String.class);
        ActorRef<Cmd> relay =
                b1.spawn(
                        Behaviors.receive(Cmd.class)
                                .onMessage(
                                        Carry.class,
                                        c -> {
                                            seenAtB.ref()
                                                    .tell(
                                                            Adapter.toClassic(c.target())
                                                                    .getClass()
                                                                    .getSimpleName());
                                            userFromB.tell(c);
                                            return Behaviors.same();
                                        })
                                .onMessage(
                                        Ping.class,
                                        p -> {
                                            p.replyTo().tell(new Hello("b1"));
                                            return Behaviors.same();
                                        })
                                .build(),
                        "relay");
        ActorRef<Cmd> relayFromA1 = across(a1, b1, relay);

        TestProbe<Hello> inbox = a1.createTestProbe(Hello.class);
        long ipcBefore = RemoteNode.get(a2.system()).counter("msgs-sent");
        relayFromA1.tell(new Carry(inbox.ref()));

        assertEquals("ClusterRef", seenAtB.expectMessageClass(String.class, WAIT));
        assertEquals("RemoteActorRef", seen.expectMessageClass(String.class, WAIT));
        assertEquals(new Hello("from a2"), inbox.expectMessageClass(Hello.class, WAIT));
        assertTrue(
                RemoteNode.get(a2.system()).counter("msgs-sent") > ipcBefore,
                "a2 reached a1 over IPC");

        Hello answer =
                AskPattern.<Cmd, Hello>ask(relayFromA1, Ping::new, WAIT, a1.scheduler())
                        .toCompletableFuture()
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(new Hello("b1"), answer);

        // A lookup of a name on a node of the other machine, as on one machine.
        RemoteNode.get(b1.system()).publish("relay", relay, Cmd.class);
        ActorRef<Cmd> looked =
                RemoteNode.get(a1.system())
                        .lookup("b1", "relay", Cmd.class)
                        .toCompletableFuture()
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("ClusterRef", Adapter.toClassic(looked).getClass().getSimpleName());
        assertEquals(
                new Hello("b1"),
                AskPattern.<Cmd, Hello>ask(looked, Ping::new, WAIT, a1.scheduler())
                        .toCompletableFuture()
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS));
        // A node of the same machine is looked up, and reached, over IPC, never over Artery.
        RemoteNode.get(a2.system()).publish("user", user, Cmd.class);
        ActorRef<Cmd> sameMachine =
                RemoteNode.get(a1.system())
                        .lookup("a2", "user", Cmd.class)
                        .toCompletableFuture()
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("RemoteActorRef", Adapter.toClassic(sameMachine).getClass().getSimpleName());

        // The ref refuses, at the sender, a message outside the protocol it was looked up for.
        TestProbe<akka.actor.Dropped> dropped =
                io.troupe.remote.testsupport.DeadLetterProbes.subscribe(a1);
        ActorRef<Object> cast = looked.unsafeUpcast();
        cast.tell("not a Cmd");
        akka.actor.Dropped d = dropped.expectMessageClass(akka.actor.Dropped.class, WAIT);
        assertEquals("not a Cmd", d.message());
        assertTrue(d.reason().contains("is not in the protocol of"), d.reason());
        assertEquals(1, RemoteNode.get(a1.system()).counter("refused-at-sender"));

        // The receiver checks too: a ref whose type is wider than the actor's protocol (here: a
        // lookup for Cmd of an actor published for Hello) passes the sender's check, and the home
        // node's gateway refuses what is outside the protocol, before the actor sees it.
        TestProbe<Cmd> greeterInbox = b1.createTestProbe(Cmd.class);
        RemoteNode.get(b1.system()).publish("greeter", greeterInbox.ref().narrow(), Hello.class);
        ActorRef<Cmd> wide =
                RemoteNode.get(a1.system())
                        .lookup("b1", "greeter", Cmd.class)
                        .toCompletableFuture()
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        TestProbe<akka.actor.Dropped> droppedAtB =
                io.troupe.remote.testsupport.DeadLetterProbes.subscribe(b1);
        long receivedBefore = RemoteNode.get(b1.system()).counter("msgs-received-across");
        wide.tell(new Ping(inbox.ref()));
        wide.tell(new Hello("in protocol"));
        akka.actor.Dropped refused = droppedAtB.expectMessageClass(akka.actor.Dropped.class, WAIT);
        assertTrue(refused.message() instanceof Ping, refused.toString());
        assertTrue(refused.reason().contains("refused at node 'b1'"), refused.reason());
        assertTrue(refused.reason().contains("is not in the protocol of"), refused.reason());
        assertEquals(new Hello("in protocol"), greeterInbox.expectMessageClass(Hello.class, WAIT));
        assertEquals(1, RemoteNode.get(b1.system()).counter("rejected-messages"));
        assertEquals(
                receivedBefore + 2, RemoteNode.get(b1.system()).counter("msgs-received-across"));
        assertTrue(RemoteNode.get(a1.system()).counter("msgs-sent-across") >= 3);

        java.util.concurrent.ExecutionException missing =
                org.junit.jupiter.api.Assertions.assertThrows(
                        java.util.concurrent.ExecutionException.class,
                        () ->
                                RemoteNode.get(a1.system())
                                        .lookup("b1", "nope", Cmd.class)
                                        .toCompletableFuture()
                                        .get(WAIT.toSeconds(), TimeUnit.SECONDS));
        String why = missing.getCause().getMessage();
        assertTrue(why.contains("no actor is published as 'nope'"), why);
        assertTrue(why.contains("[greeter, relay]") && why.contains("another machine"), why);
    }
}
