package io.troupe.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.Dropped;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Terminated;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import io.aeron.Aeron;
import io.troupe.core.codec.CodecException;
import io.troupe.remote.launch.ChildJvm;
import io.troupe.remote.testsupport.DeadLetterProbes;
import io.troupe.remote.testsupport.TestAeronDir;
import io.troupe.remote.testsupport.TestJvms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Actors across real processes: the test JVM is one node (it hosts the media driver), children are
 * the others.
 */
class RemoteNodeMultiProcessTest {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration ASK = Duration.ofSeconds(10);

    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();

    private final List<ChildJvm> children = new ArrayList<>();
    private ActorTestKit kit;

    @AfterEach
    void tearDown() {
        children.forEach(ChildJvm::kill);
        if (kit != null) {
            kit.shutdownTestKit();
        }
    }

    private RemoteNode localNode(String... overrides) {
        List<String> kv = new ArrayList<>(List.of("node-name", "tester"));
        kv.addAll(List.of(overrides));
        kit = ActorTestKit.create("tester", aeronDir.config(kv.toArray(String[]::new)));
        RemoteNode node = RemoteNode.get(kit.system());
        node.register(TestProtocol.Command.class);
        return node;
    }

    private ChildJvm child(String node, String... args) {
        return child(List.of(), node, args);
    }

    private ChildJvm child(List<String> settings, String node, String... args) {
        List<String> kv = new ArrayList<>(List.of("node-name", node));
        kv.addAll(settings);
        ChildJvm c =
                TestJvms.start(
                        TestNodeMain.class, aeronDir.jvmOptions(kv.toArray(String[]::new)), args);
        children.add(c);
        return c;
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("did not complete: " + e, e);
        }
    }

    private TestProtocol.Pong ask(ActorRef<TestProtocol.Command> target, int seq) {
        return await(
                AskPattern.ask(
                        target,
                        (ActorRef<TestProtocol.Pong> r) -> new TestProtocol.Ping(seq, r),
                        ASK,
                        kit.scheduler()));
    }

    private TestProtocol.Report report(ActorRef<TestProtocol.Command> target) {
        return await(AskPattern.ask(target, TestProtocol.GetReport::new, ASK, kit.scheduler()));
    }

    @Test
    void shouldAnswerAnAskAcrossTwoProcesses() {
        RemoteNode node = localNode();
        child("alpha", "echo").awaitLine("READY alpha", READY);
        ActorRef<TestProtocol.Command> echo =
                await(node.lookup("alpha", "echo", TestProtocol.Command.class));
        for (int i = 0; i < 100; i++) {
            TestProtocol.Pong pong = ask(echo, i);
            assertEquals(new TestProtocol.Pong(i, "alpha"), pong);
        }
        assertTrue(
                node.members().stream().anyMatch(m -> m.name().equals("alpha")),
                node.members().toString());
    }

    @Test
    void shouldFollowAReplyToChainThroughThreeProcesses() {
        RemoteNode node = localNode();
        child("gamma", "echo").awaitLine("READY gamma", READY);
        child("beta", "forwarder", "gamma").awaitLine("READY beta", READY);
        ActorRef<TestProtocol.Command> forward =
                await(node.lookup("beta", "forward", TestProtocol.Command.class));
        // tester -> beta -> gamma, and gamma answers tester directly through the replyTo it was
        // handed.
        TestProtocol.Pong pong = ask(forward, 7);
        assertEquals(new TestProtocol.Pong(7, "gamma"), pong);
    }

    @Test
    void shouldDeliverAMillionMessagesCompleteAndInOrder() {
        deliverInOrder(0);
    }

    @Test
    void shouldDeliverAMillionMessagesCompleteAndInOrderToASlowReceiver() {
        RemoteNode node = deliverInOrder(1_000_000, 2_000, List.of());
        assertTrue(
                node.counter("back-pressure-events") > 0,
                "a receiver slowed to ~500k msgs/s must push back at some point: "
                        + node.counter("back-pressure-events"));
    }

    @Test
    void shouldPauseReadingWhileAnActorsMailboxIsOverTheLimitAndStillDeliverEverything() {
        RemoteNode node = deliverInOrder(200_000, 20_000, List.of("inbound-mailbox-limit", "5000"));
        Map<String, Long> counters = aeronCounters();
        assertTrue(
                counters.getOrDefault("troupe sink inbound-pauses", 0L) > 0,
                "the receiving node paused reading while its actor's mailbox was over 5000: "
                        + counters);
    }

    private RemoteNode deliverInOrder(long slowNanos) {
        return deliverInOrder(1_000_000, slowNanos, List.of());
    }

    private RemoteNode deliverInOrder(int n, long slowNanos, List<String> childSettings) {
        RemoteNode node = localNode();
        child(childSettings, "sink", "echo", Long.toString(slowNanos))
                .awaitLine("READY sink", READY);
        ActorRef<TestProtocol.Command> sink =
                await(node.lookup("sink", "echo", TestProtocol.Command.class));
        for (int i = 0; i < n; i++) {
            sink.tell(new TestProtocol.Seq(i));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        TestProtocol.Report r = report(sink);
        while (r.received() < n && System.nanoTime() < deadline) {
            r = report(sink);
        }
        assertEquals(
                n,
                r.received(),
                "all messages arrive; dead letters at the sender: " + node.counter("dead-letters"));
        assertEquals(0, r.outOfOrder());
        assertEquals(n - 1, r.last());
        assertEquals(0, node.counter("dead-letters"));
        return node;
    }

    @Test
    void shouldGiveEqualRefsForOneActorAndTheOriginalBackForALocalRef() {
        RemoteNode node = localNode();
        child("alpha", "echo").awaitLine("READY alpha", READY);
        ActorRef<TestProtocol.Command> a =
                await(node.lookup("alpha", "echo", TestProtocol.Command.class));
        ActorRef<TestProtocol.Command> b =
                await(node.lookup("alpha", "echo", TestProtocol.Command.class));
        assertNotSame(a, b);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());

        TestProbe<TestProtocol.Pong> probe = kit.createTestProbe(TestProtocol.Pong.class);
        TestProtocol.EchoedRef back =
                await(
                        AskPattern.ask(
                                a,
                                (ActorRef<TestProtocol.EchoedRef> r) ->
                                        new TestProtocol.EchoRef(probe.ref(), r),
                                ASK,
                                kit.scheduler()));
        assertEquals(
                probe.ref(),
                back.ref(),
                "a local ref that went out and came back is the original actor");
        back.ref().tell(new TestProtocol.Pong(1, "self"));
        probe.expectMessage(new TestProtocol.Pong(1, "self"));
    }

    record Unregistered(int x) {}

    @Test
    void shouldRefuseAMessageOutsideTheProtocolAtTheSenderAsADeadLetterByDefault() {
        RemoteNode node = localNode();
        child("alpha", "echo").awaitLine("READY alpha", READY);
        ActorRef<TestProtocol.Command> echo =
                await(node.lookup("alpha", "echo", TestProtocol.Command.class));
        TestProbe<Dropped> dropped = deadLetters();
        ActorRef<Object> untyped = echo.unsafeUpcast();
        untyped.tell(new Unregistered(1)); // returns: tell never throws by default
        Dropped d = dropped.expectMessageClass(Dropped.class, ASK);
        assertEquals(new Unregistered(1), d.message());
        assertTrue(d.reason().contains("refused at the sender"), d.reason());
        assertTrue(d.reason().contains(Unregistered.class.getName()), d.reason());
        assertTrue(d.reason().contains(TestProtocol.Command.class.getName()), d.reason());
        assertEquals(1, node.counter("refused-at-sender"));
    }

    @Test
    void shouldDeliverA16MiBMessageIntactAndDeadLetterOneOverTheMaximum() {
        RemoteNode node = localNode();
        child("alpha", "echo").awaitLine("READY alpha", READY);
        ActorRef<TestProtocol.Command> echo =
                await(node.lookup("alpha", "echo", TestProtocol.Command.class));
        String data = sixteenMiB();
        echo.tell(new TestProtocol.Blob(data));
        TestProtocol.Report r = report(echo);
        assertEquals(data.length(), r.blobBytes());
        assertEquals(data.hashCode(), r.blobHash());

        TestProbe<Dropped> dropped = deadLetters();
        echo.tell(new TestProtocol.Blob(data + "x".repeat(1024 * 1024)));
        Dropped d = dropped.expectMessageClass(Dropped.class, ASK);
        assertTrue(d.reason().contains("refused at the sender"), d.reason());
        assertTrue(d.reason().contains("max-string-bytes"), d.reason()); // a 17 MiB String
        assertEquals(1, node.counter("refused-at-sender"));
    }

    @Test
    void shouldThrowFromTellWhatCannotBeSentWhenTheNodeIsToldTo() {
        RemoteNode node = localNode("unsendable", "throw");
        child("alpha", "echo").awaitLine("READY alpha", READY);
        ActorRef<TestProtocol.Command> echo =
                await(node.lookup("alpha", "echo", TestProtocol.Command.class));
        String tooBig = sixteenMiB() + "x".repeat(1024 * 1024);
        CodecException e =
                assertThrows(CodecException.class, () -> echo.tell(new TestProtocol.Blob(tooBig)));
        assertTrue(e.getMessage().contains("max-string-bytes"), e.getMessage());
        RemoteException wrong =
                assertThrows(
                        RemoteException.class,
                        () -> echo.<Object>unsafeUpcast().tell(new Unregistered(2)));
        assertTrue(wrong.getMessage().contains("is not in the protocol of"), wrong.getMessage());
        assertEquals(2, node.counter("refused-at-sender"), "counted as with dead-letter");
        assertEquals(0, report(echo).received(), "nothing reached the actor");
    }

    private static String sixteenMiB() {
        StringBuilder sb = new StringBuilder(16 * 1024 * 1024);
        for (int i = 0; sb.length() < 16 * 1024 * 1024; i++) {
            sb.append((char) ('a' + (i * 7919) % 26));
        }
        return sb.toString();
    }

    private TestProbe<Dropped> deadLetters() {
        return DeadLetterProbes.subscribe(kit);
    }

    @Test
    void shouldRefuseASecondNodeWithATakenName() {
        localNode();
        child("alpha", "echo").awaitLine("READY alpha", READY);
        ChildJvm twin = child("alpha", "echo");
        String line = twin.awaitLine("START FAILED", READY);
        assertTrue(
                line.contains("Node name 'alpha' is already in use")
                        && line.contains("troupe.remote.node-name"),
                line);
        assertEquals(3, twin.awaitExit(Duration.ofSeconds(30)));
    }

    @Test
    void shouldFailALookupOfAnUnpublishedNameOrUnknownNodeAfterTheTimeout() {
        RemoteNode node = localNode();
        child("alpha", "echo").awaitLine("READY alpha", READY);
        ExecutionException missingName =
                assertThrows(
                        ExecutionException.class,
                        () ->
                                node.lookup(
                                                "alpha",
                                                "nobody",
                                                TestProtocol.Command.class,
                                                Duration.ofMillis(600))
                                        .toCompletableFuture()
                                        .get(10, TimeUnit.SECONDS));
        String m = missingName.getCause().getMessage();
        assertTrue(
                m.contains("'nobody'")
                        && m.contains("is up but has not published")
                        && m.contains("[echo]"),
                m);
        ExecutionException missingNode =
                assertThrows(
                        ExecutionException.class,
                        () ->
                                node.lookup(
                                                "omega",
                                                "echo",
                                                TestProtocol.Command.class,
                                                Duration.ofMillis(600))
                                        .toCompletableFuture()
                                        .get(10, TimeUnit.SECONDS));
        String n = missingNode.getCause().getMessage();
        assertTrue(n.contains("no node named 'omega' is up") && n.contains("alpha"), n);
    }

    @Test
    void shouldPublishCountersInTheDriversCountersFileAsAeronStatShowsThem() {
        RemoteNode node = localNode();
        child("alpha", "echo").awaitLine("READY alpha", READY);
        ActorRef<TestProtocol.Command> echo =
                await(node.lookup("alpha", "echo", TestProtocol.Command.class));
        for (int i = 0; i < 10; i++) {
            ask(echo, i);
        }
        // Counters are written by the transport threads after the asks complete: wait for every
        // one asserted below, not a subset (the replies' msgs-received may trail the asks).
        List<String> atLeastTen =
                List.of(
                        "troupe tester msgs-sent",
                        "troupe tester msgs-received",
                        "troupe alpha msgs-received");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Map<String, Long> seen = aeronCounters();
        while (System.nanoTime() < deadline) {
            seen = aeronCounters();
            Map<String, Long> now = seen;
            if (atLeastTen.stream().allMatch(c -> now.getOrDefault(c, 0L) >= 10)) {
                break;
            }
        }
        for (String c : atLeastTen) {
            assertTrue(seen.getOrDefault(c, 0L) >= 10, c + " < 10 in " + seen);
        }
        for (String c :
                List.of(
                        "bytes-sent",
                        "bytes-received",
                        "back-pressure-events",
                        "dead-letters",
                        "decode-failures",
                        "rejected-frames")) {
            assertTrue(seen.containsKey("troupe tester " + c), c + " missing from " + seen);
        }
    }

    @Test
    void shouldDeadLetterWithAReasonWhatIsSentToAKilledNodeAndNotifyWatchers() {
        RemoteNode node = localNode();
        ChildJvm alpha = child("alpha", "echo");
        alpha.awaitLine("READY alpha", READY);
        ActorRef<TestProtocol.Command> echo =
                await(node.lookup("alpha", "echo", TestProtocol.Command.class));
        TestProbe<Dropped> dropped = kit.createTestProbe(Dropped.class);
        kit.system().eventStream().tell(new EventStream.Subscribe<>(Dropped.class, dropped.ref()));
        TestProbe<MembershipEvent> events = kit.createTestProbe(MembershipEvent.class);
        node.subscribe(events.ref());
        events.expectMessageClass(MembershipEvent.NodeUp.class, ASK);
        TestProbe<String> watcher = kit.createTestProbe(String.class);
        kit.spawn(
                Behaviors.<String>setup(
                        ctx -> {
                            ctx.watch(echo);
                            return Behaviors.receive(String.class)
                                    .onSignal(
                                            Terminated.class,
                                            t -> {
                                                watcher.ref().tell("terminated " + t.getRef());
                                                return Behaviors.same();
                                            })
                                    .build();
                        }));
        ask(echo, 1); // the watch is in place once a round trip went through
        long killedAt = System.nanoTime();
        alpha.kill();
        MembershipEvent.NodeDown down =
                events.expectMessageClass(MembershipEvent.NodeDown.class, ASK);
        long noticedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        assertEquals("alpha", down.member().name());
        assertEquals(MembershipEvent.Reason.EXITED, down.reason());
        assertTrue(
                noticedMs < 2_000,
                "a killed process is noticed through its pid, took " + noticedMs + " ms");
        String terminated = watcher.receiveMessage(ASK);
        assertTrue(terminated.startsWith("terminated") && terminated.contains("alpha"), terminated);

        echo.tell(new TestProtocol.Seq(42));
        Dropped d = dropped.receiveMessage(ASK);
        assertEquals(new TestProtocol.Seq(42), d.message());
        assertTrue(
                d.reason().contains("alpha")
                        && d.reason().contains("down")
                        && d.reason().contains("exited"),
                d.reason());
        assertTrue(node.counter("dead-letters") >= 1);
    }

    @Test
    void shouldDeliverTerminatedWhenAWatchedRemoteActorStops() {
        RemoteNode node = localNode();
        child("alpha", "echo").awaitLine("READY alpha", READY);
        ActorRef<TestProtocol.Command> echo =
                await(node.lookup("alpha", "echo", TestProtocol.Command.class));
        TestProbe<String> watcher = kit.createTestProbe(String.class);
        kit.spawn(
                Behaviors.<String>setup(
                        ctx -> {
                            ctx.watch(echo);
                            return Behaviors.receive(String.class)
                                    .onSignal(
                                            Terminated.class,
                                            t -> {
                                                watcher.ref()
                                                        .tell(
                                                                "terminated "
                                                                        + t.getRef().equals(echo));
                                                return Behaviors.same();
                                            })
                                    .build();
                        }));
        ask(echo, 1);
        echo.tell(TestProtocol.Stop.INSTANCE);
        assertEquals("terminated true", watcher.receiveMessage(ASK));
        assertTrue(
                node.members().stream().anyMatch(m -> m.name().equals("alpha")),
                "the node itself stays up");
    }

    @Test
    void shouldBoundWhatWaitsForAStoppedReceiverAndDeadLetterTheRestWithTheReason()
            throws Exception {
        RemoteNode node =
                localNode("outbound-queue-bytes", "17MiB", "back-pressure-timeout", "30s");
        ChildJvm alpha = child("alpha", "echo");
        alpha.awaitLine("READY alpha", READY);
        ActorRef<TestProtocol.Command> echo =
                await(node.lookup("alpha", "echo", TestProtocol.Command.class));
        ask(echo, 0);
        TestProbe<Dropped> dropped = kit.createTestProbe(Dropped.class);
        kit.system().eventStream().tell(new EventStream.Subscribe<>(Dropped.class, dropped.ref()));
        Process stop =
                new ProcessBuilder("kill", "-STOP", Long.toString(alpha.pid())).inheritIO().start();
        assertTrue(stop.waitFor(10, TimeUnit.SECONDS) && stop.exitValue() == 0);
        try {
            int n = 3_000_000; // ~40 MB encoded: more than the 17 MiB that may wait
            for (int i = 0; i < n; i++) {
                echo.tell(new TestProtocol.Seq(i));
            }
            Dropped first = dropped.receiveMessage(ASK);
            assertTrue(
                    first.reason().contains("outbound queue to node alpha is full")
                            && first.reason().contains("troupe.remote.outbound-queue-bytes"),
                    first.reason());
            assertTrue(node.counter("dead-letters") > 0);
        } finally {
            new ProcessBuilder("kill", "-CONT", Long.toString(alpha.pid()))
                    .inheritIO()
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Troupe's counters as AeronStat shows them: read from the driver's counters file with an Aeron
     * client.
     */
    private Map<String, Long> aeronCounters() {
        Map<String, Long> seen = new TreeMap<>();
        try (Aeron aeron =
                Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir.path().toString()))) {
            aeron.countersReader()
                    .forEach(
                            (id, typeId, key, label) -> {
                                if (label.startsWith("troupe ")) {
                                    seen.put(label, aeron.countersReader().getCounterValue(id));
                                }
                            });
        }
        return seen;
    }
}
