package io.troupe.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import akka.actor.Dropped;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.eventstream.EventStream;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.troupe.core.Troupe;
import io.troupe.remote.Member;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.TestNodeMain;
import io.troupe.remote.driver.StandaloneDriver;
import io.troupe.remote.launch.ChildJvm;
import io.troupe.remote.testsupport.TestAeronDir;
import io.troupe.remote.testsupport.TestJvms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Strangers (issue 7, item 3): frames from a node incarnation the receiver never saw, from the
 * earlier incarnation of a peer that restarted under the same name, to the earlier incarnation of
 * the receiver itself, and to an actor that has stopped. Each is dropped with its reason (a log
 * line, or a dead letter) and counted, and never reaches an actor.
 *
 * <p>The restarts are real: the peer is a child JVM killed and started again; the receiver is a
 * node of this JVM left and started again (so a standalone driver child hosts the media driver
 * across both). The stale frames themselves are written raw onto the receiver's stream ({@link
 * RawFrames}), as a delayed or confused peer would: Aeron IPC lets a new subscriber see no old
 * data, so nothing but a raw writer can produce them here. A frame that differs only in being
 * current reaches the actor, which proves the raw path delivers.
 */
class StrangersMultiProcessTest {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(20);

    /**
     * Longer than RateLimitedLog's interval, so the next rejection's reason is logged rather than
     * counted as suppressed.
     */
    private static final Duration LOG_INTERVAL = Duration.ofMillis(1_100);

    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();

    private final List<ChildJvm> children = new ArrayList<>();
    private final List<ActorTestKit> kits = new ArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private RawFrames raw;

    @AfterEach
    void tearDown() {
        if (raw != null) {
            raw.close();
        }
        kits.forEach(ActorTestKit::shutdownTestKit);
        children.forEach(ChildJvm::kill); // the driver last: kill() waits for each to be gone
        ((Logger) LoggerFactory.getLogger(Transport.class.getPackageName())).detachAppender(log);
    }

    private ChildJvm child(Class<?> main, List<String> options, String... args) {
        ChildJvm c = TestJvms.start(main, options, args);
        children.add(0, c); // killed before the driver started earlier
        return c;
    }

    private ActorTestKit targetKit() {
        ActorTestKit kit =
                ActorTestKit.create(
                        "target", aeronDir.config("node-name", "target", "driver.mode", "attach"));
        kits.add(kit);
        return kit;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            LockSupport.parkNanos(1_000_000); // poll, with a deadline
        }
    }

    private static Optional<Member> member(RemoteNode node, String name) {
        return node.members().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    @Test
    void
            shouldDropAndCountFramesFromStrangersStaleIncarnationsAndForStoppedActorsWithoutDeliveringThem() {
        ChildJvm driver =
                child(
                        StandaloneDriver.class,
                        List.of(),
                        "--dir",
                        aeronDir.path().toString(),
                        "--term-length",
                        "1m");
        driver.awaitLine(Pattern.quote("Troupe media driver running in " + aeronDir.path()), START);
        ChildJvm peer1 =
                child(
                        TestNodeMain.class,
                        aeronDir.jvmOptions("node-name", "peer", "driver.mode", "attach"),
                        "echo");
        peer1.awaitLine("^READY peer", START);

        // The receiver's first run: only its incarnation is kept.
        ActorTestKit first = targetKit();
        long staleTarget = RemoteNode.get(first.system()).incarnation();
        first.shutdownTestKit();
        kits.remove(first);

        // The receiver's second run, with the actors the frames are addressed to.
        ActorTestKit kit = targetKit();
        RemoteNode target = RemoteNode.get(kit.system());
        target.register(FrameProtocol.Msg.class);
        assertNotEquals(staleTarget, target.incarnation());
        TestProbe<FrameProtocol.Msg> seen = kit.createTestProbe(FrameProtocol.Msg.class);
        ActorRef<FrameProtocol.Msg> sink =
                kit.spawn(FrameProtocol.echo("target", seen.ref()), "sink");
        target.publish(
                "sink",
                sink,
                FrameProtocol.Msg.class); // the first export of this incarnation: id 1
        int sinkId = 1;
        ActorRef<FrameProtocol.Msg> doomed =
                kit.spawn(FrameProtocol.echo("target", seen.ref()), "doomed");
        target.publish("doomed", doomed, FrameProtocol.Msg.class); // id 2
        int doomedId = 2;
        kit.stop(doomed);
        await("the stopped actor's export is gone", () -> target.exportedActors() == 1);
        TestProbe<Dropped> dropped = kit.createTestProbe(Dropped.class);
        kit.system().eventStream().tell(new EventStream.Subscribe<>(Dropped.class, dropped.ref()));

        // The peer restarts under its name: a new incarnation, and the old one is gone for good.
        await("peer is up at target", () -> member(target, "peer").isPresent());
        long stalePeer = member(target, "peer").orElseThrow().incarnation();
        peer1.kill();
        await("target sees the first peer down", () -> member(target, "peer").isEmpty());
        ChildJvm peer2 =
                child(
                        TestNodeMain.class,
                        aeronDir.jvmOptions("node-name", "peer", "driver.mode", "attach"),
                        "echo");
        peer2.awaitLine("^READY peer", START);
        await("target sees the restarted peer up", () -> member(target, "peer").isPresent());
        long peer = member(target, "peer").orElseThrow().incarnation();
        assertNotEquals(stalePeer, peer);

        log.start();
        ((Logger) LoggerFactory.getLogger(Transport.class.getPackageName())).addAppender(log);
        raw = RawFrames.open(aeronDir.path(), "target", target.incarnation(), WAIT);
        var codec = Troupe.get(kit.system()).codec();
        long stranger = 0x5eed_0000_0000_0001L;

        seen.expectNoMessage(LOG_INTERVAL);
        rejected(
                target,
                RawFrames.frame(
                        Wire.DATA,
                        sinkId,
                        stranger,
                        target.incarnation(),
                        codec.encode(note("from a stranger"))),
                "Node target rejected a frame from unknown node incarnation "
                        + Long.toHexString(stranger));
        seen.expectNoMessage(LOG_INTERVAL);
        rejected(
                target,
                RawFrames.frame(
                        Wire.DATA,
                        sinkId,
                        stalePeer,
                        target.incarnation(),
                        codec.encode(note("from the old peer"))),
                "Node target rejected a frame from unknown node incarnation "
                        + Long.toHexString(stalePeer));
        seen.expectNoMessage(LOG_INTERVAL);
        rejected(
                target,
                RawFrames.frame(
                        Wire.DATA,
                        sinkId,
                        peer,
                        staleTarget,
                        codec.encode(note("to the old target"))),
                "Node target rejected a frame for incarnation "
                        + Long.toHexString(staleTarget)
                        + " of this node name (this is "
                        + Long.toHexString(target.incarnation())
                        + "): a stale ref to an earlier run");

        // For the stopped actor: it decodes, and goes to dead letters with the reason.
        long received = target.counter("msgs-received");
        long dead = target.counter("dead-letters");
        long rejected = target.counter("rejected-frames");
        send(
                RawFrames.frame(
                        Wire.DATA,
                        doomedId,
                        peer,
                        target.incarnation(),
                        codec.encode(note("to the stopped actor"))));
        assertEquals(received + 1, target.counter("msgs-received"));
        assertEquals(dead + 1, target.counter("dead-letters"));
        assertEquals(rejected, target.counter("rejected-frames"));
        Dropped d = dropped.receiveMessage(WAIT);
        assertEquals(note("to the stopped actor"), d.message());
        assertEquals(
                "actor /user/doomed (published as 'doomed') stopped on node 'target' (sent from node"
                        + " 'peer')",
                d.reason(),
                "the dead letter names the actor, as a user knows it, and both nodes");

        // The same frame, current in every respect, is delivered: the raw path works, and it is the
        // first thing the sink sees.
        send(
                RawFrames.frame(
                        Wire.DATA,
                        sinkId,
                        peer,
                        target.incarnation(),
                        codec.encode(note("current"))));
        seen.expectMessage(WAIT, note("current"));
        seen.expectNoMessage(Duration.ofMillis(200));
        assertEquals(0, target.counter("decode-failures"));
    }

    private static FrameProtocol.Note note(String text) {
        return new FrameProtocol.Note(text, List.of(), Optional.empty(), Map.of());
    }

    private void send(byte[] frame) {
        raw.awaitConsumed(raw.offer(frame, WAIT), WAIT);
    }

    /**
     * Sends a frame that must be rejected: counted once, with the reason logged, and nothing else
     * counted.
     */
    private void rejected(RemoteNode target, byte[] frame, String reason) {
        long rejected = target.counter("rejected-frames");
        long received = target.counter("msgs-received");
        long failures = target.counter("decode-failures");
        int lines;
        synchronized (log) {
            lines = log.list.size();
        }
        send(frame);
        assertEquals(rejected + 1, target.counter("rejected-frames"), reason);
        assertEquals(received, target.counter("msgs-received"), reason);
        assertEquals(failures, target.counter("decode-failures"), reason);
        synchronized (log) {
            List<String> logged =
                    log.list.subList(lines, log.list.size()).stream()
                            .map(ILoggingEvent::getFormattedMessage)
                            .toList();
            assertEquals(List.of(reason), logged);
        }
    }
}
