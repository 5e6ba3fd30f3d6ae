package io.troupe.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.Dropped;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Props;
import io.troupe.remote.launch.ChildJvm;
import io.troupe.remote.testsupport.DeadLetterProbes;
import io.troupe.remote.testsupport.TestAeronDir;
import io.troupe.remote.testsupport.TestJvms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every public operation of a node completes or fails promptly with a clear {@link
 * RemoteException}, whatever state the node is in: running, closed (left, or its actor system
 * terminated), or cut off from its media driver. Before, lookups and spawns after a close or a
 * driver loss queued work that nothing ran and never completed, a tell returned silently, and
 * {@link RemoteNode#get} handed back the closed node.
 */
class NodeLifecycleTest {
    /** Far below the lookup timeout: an operation that fails "at once" must beat this. */
    private static final Duration PROMPT = Duration.ofSeconds(2);

    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();

    private final List<ActorTestKit> kits = new ArrayList<>();
    private final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void tearDown() {
        children.forEach(ChildJvm::kill);
        for (int i = kits.size() - 1; i >= 0; i--) {
            kits.get(i).shutdownTestKit(); // the first kit hosts the driver: it goes last
        }
    }

    private ActorTestKit kit(String node, String... overrides) {
        List<String> kv = new ArrayList<>(List.of("node-name", node));
        kv.addAll(List.of(overrides));
        ActorTestKit kit = ActorTestKit.create(node, aeronDir.config(kv.toArray(String[]::new)));
        kits.add(kit);
        RemoteNode.get(kit.system()).register(TestProtocol.Command.class);
        return kit;
    }

    private static ActorRef<TestProtocol.Command> publishEcho(ActorTestKit kit) {
        RemoteNode node = RemoteNode.get(kit.system());
        ActorRef<TestProtocol.Command> echo =
                kit.system()
                        .systemActorOf(TestProtocol.echo(node.name(), 0), "echo", Props.empty());
        node.publish("echo", echo, TestProtocol.Command.class);
        return echo;
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** The failure of a stage that must fail within {@link #PROMPT}. */
    private static RemoteException failsPromptly(CompletionStage<?> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(PROMPT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return assertInstanceOf(RemoteException.class, e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("did not fail within " + PROMPT, e);
        }
        throw new AssertionError("completed normally; expected a RemoteException");
    }

    @Test
    void shouldFailOrFinishEveryOperationPromptlyOnceTheNodeLeft() throws Exception {
        ActorTestKit a = kit("a");
        ActorTestKit b = kit("b");
        publishEcho(b);
        RemoteNode node = RemoteNode.get(a.system());
        ActorRef<TestProtocol.Command> echo =
                await(node.lookup("b", "echo", TestProtocol.Command.class));

        node.leave();

        String closed = "node 'a' of cluster 'default' is closed";
        RemoteException lookup =
                failsPromptly(node.lookup("b", "echo", TestProtocol.Command.class));
        assertTrue(lookup.getMessage().contains(closed), lookup.getMessage());
        RemoteException spawn = failsPromptly(node.spawn("b", TestKinds.ECHO, "x"));
        assertTrue(spawn.getMessage().contains(closed), spawn.getMessage());
        RemoteException get = assertThrows(RemoteException.class, () -> RemoteNode.get(a.system()));
        assertTrue(get.getMessage().contains(closed), get.getMessage());
        assertTrue(get.getMessage().contains("create a new ActorSystem"), get.getMessage());
        TestProbe<MembershipEvent> events = a.createTestProbe(MembershipEvent.class);
        RemoteException subscribe =
                assertThrows(RemoteException.class, () -> node.subscribe(events.ref()));
        assertTrue(subscribe.getMessage().contains(closed), subscribe.getMessage());
        RemoteException publish =
                assertThrows(
                        RemoteException.class,
                        () ->
                                node.publish(
                                        "late",
                                        a.createTestProbe(TestProtocol.Command.class).ref(),
                                        TestProtocol.Command.class));
        assertTrue(publish.getMessage().contains(closed), publish.getMessage());

        TestProbe<Dropped> dropped = DeadLetterProbes.subscribe(a);
        echo.tell(new TestProtocol.Seq(1));
        Dropped d = dropped.expectMessageClass(Dropped.class, PROMPT);
        assertEquals(new TestProtocol.Seq(1), d.message());
        assertTrue(d.reason().contains(closed), d.reason());

        TestProbe<TestProtocol.Command> watcher = a.createTestProbe(TestProtocol.Command.class);
        watcher.expectTerminated(echo, PROMPT);
    }

    @Test
    void shouldFailLookupsAndSpawnsPromptlyOnceTheActorSystemTerminated() throws Exception {
        ActorTestKit a = kit("a");
        ActorTestKit b = kit("b");
        publishEcho(b);
        RemoteNode node = RemoteNode.get(a.system());
        await(node.lookup("b", "echo", TestProtocol.Command.class));

        a.system().terminate();
        a.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);

        RemoteException lookup =
                failsPromptly(node.lookup("b", "echo", TestProtocol.Command.class));
        assertTrue(lookup.getMessage().contains("is closed"), lookup.getMessage());
        RemoteException spawn = failsPromptly(node.spawn("b", TestKinds.ECHO, "x"));
        assertTrue(spawn.getMessage().contains("is closed"), spawn.getMessage());
        RemoteException get = assertThrows(RemoteException.class, () -> RemoteNode.get(a.system()));
        assertTrue(get.getMessage().contains("terminated"), get.getMessage());
    }

    @Test
    void shouldFailOrFinishEveryOperationPromptlyOnceTheMediaDriverIsLost() throws Exception {
        ChildJvm host =
                TestJvms.start(
                        TestNodeMain.class,
                        aeronDir.jvmOptions("node-name", "host", "driver.driver-timeout", "3s"),
                        "echo");
        children.add(host);
        host.awaitLine("READY host.*", Duration.ofSeconds(30));
        ActorTestKit a = kit("a", "driver.mode", "attach", "driver.driver-timeout", "3s");
        RemoteNode node = RemoteNode.get(a.system());
        assertTrue(!node.hostsDriver());
        ActorRef<TestProtocol.Command> echo =
                await(node.lookup("host", "echo", TestProtocol.Command.class));

        host.kill(); // takes the media driver with it

        // The client notices after driver-timeout (3 s): wait for a lookup to say so.
        RemoteException lost = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                node.lookup("host", "echo", TestProtocol.Command.class, Duration.ofMillis(300))
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause().getMessage().contains("media driver")) {
                    lost = (RemoteException) e.getCause();
                    break;
                }
            }
        }
        assertTrue(lost != null, "no lookup reported the lost driver within 30 s");
        assertTrue(
                lost.getMessage().contains("the media driver of cluster 'default' was lost at"),
                lost.getMessage());

        RemoteException lookup =
                failsPromptly(node.lookup("host", "echo", TestProtocol.Command.class));
        assertTrue(lookup.getMessage().contains("was lost at"), lookup.getMessage());
        RemoteException spawn = failsPromptly(node.spawn("host", TestKinds.ECHO, "x"));
        assertTrue(spawn.getMessage().contains("was lost at"), spawn.getMessage());
        TestProbe<Dropped> dropped = DeadLetterProbes.subscribe(a);
        echo.tell(new TestProtocol.Seq(7));
        Dropped d = dropped.expectMessageClass(Dropped.class, PROMPT);
        assertTrue(d.reason().contains("was lost at"), d.reason());
        TestProbe<TestProtocol.Command> watcher = a.createTestProbe(TestProtocol.Command.class);
        watcher.expectTerminated(echo, PROMPT);
        TestProbe<MembershipEvent> events = a.createTestProbe(MembershipEvent.class);
        node.subscribe(events.ref()); // still served: no node is up, so nothing to tell
        events.expectNoMessage(Duration.ofMillis(300));
    }

    @Test
    void shouldFailAtOnceALookupOfANodeKnownToBeDownSayingWhichAreUp() throws Exception {
        ActorTestKit a = kit("a");
        ActorTestKit b = kit("b");
        kit("c");
        publishEcho(b);
        RemoteNode node = RemoteNode.get(a.system());
        await(node.lookup("b", "echo", TestProtocol.Command.class));
        RemoteNode.get(b.system()).leave();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (node.members().stream().anyMatch(m -> m.name().equals("b"))
                && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(1_000_000);
        }

        RemoteException e = failsPromptly(node.lookup("b", "echo", TestProtocol.Command.class));
        assertTrue(e.getMessage().contains("that node is down (left at"), e.getMessage());
        assertTrue(e.getMessage().contains("up: c"), e.getMessage());
        RemoteException spawn = failsPromptly(node.spawn("b", TestKinds.ECHO, "x"));
        assertTrue(spawn.getMessage().contains("that node is down"), spawn.getMessage());
    }

    @Test
    void shouldSayTheCallersOwnNodeHasNotPublishedAMissingName() throws Exception {
        ActorTestKit a = kit("a");
        publishEcho(a);
        RemoteNode node = RemoteNode.get(a.system());
        ExecutionException e =
                assertThrows(
                        ExecutionException.class,
                        () ->
                                node.lookup(
                                                "a",
                                                "nope",
                                                TestProtocol.Command.class,
                                                Duration.ofMillis(500))
                                        .toCompletableFuture()
                                        .get(10, TimeUnit.SECONDS));
        String message = e.getCause().getMessage();
        assertTrue(message.contains("node 'a' is up but has not published 'nope'"), message);
        assertTrue(message.contains("[echo]"), message);
    }

    /**
     * Subscribe and unsubscribe take one path, in order: an unsubscribe right after its subscribe
     * leaves nothing subscribed (before, the subscribe was queued and the unsubscribe acted at
     * once, so the subscribe ran last and the subscriber stayed for good).
     */
    @Test
    void shouldNotLeakASubscriptionWhoseUnsubscribeFollowsAtOnce() throws Exception {
        ActorTestKit a = kit("a");
        kit("b");
        RemoteNode node = RemoteNode.get(a.system());
        List<TestProbe<MembershipEvent>> gone = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            TestProbe<MembershipEvent> p = a.createTestProbe(MembershipEvent.class);
            node.subscribe(p.ref());
            node.unsubscribe(p.ref());
            gone.add(p);
        }
        TestProbe<MembershipEvent> staying = a.createTestProbe(MembershipEvent.class);
        node.subscribe(staying.ref());
        assertEquals("b", staying.expectMessageClass(MembershipEvent.NodeUp.class).member().name());
        kit("c");
        assertEquals(
                "c",
                staying.expectMessageClass(MembershipEvent.NodeUp.class, Duration.ofSeconds(10))
                        .member()
                        .name());
        for (TestProbe<MembershipEvent> p : gone) {
            // A subscriber is told of the nodes up when it subscribes (b, here), and then of
            // nothing once unsubscribed: never of c.
            for (MembershipEvent e : drain(p)) {
                assertEquals("b", e.member().name(), "an unsubscribed probe heard " + e);
            }
        }
    }

    private static List<MembershipEvent> drain(TestProbe<MembershipEvent> p) {
        List<MembershipEvent> got = new ArrayList<>();
        while (true) {
            try {
                got.add(p.receiveMessage(Duration.ofMillis(100)));
            } catch (AssertionError timeout) {
                return got;
            }
        }
    }
}
