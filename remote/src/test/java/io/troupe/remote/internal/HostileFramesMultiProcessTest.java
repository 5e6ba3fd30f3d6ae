package io.troupe.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.launch.ChildJvm;
import io.troupe.remote.testsupport.TestAeronDir;
import io.troupe.remote.testsupport.TestJvms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * A second process floods a live node's inbound stream with random frames and mutated copies of
 * real ones ({@link HostileFrameInjector}) while a third node keeps asking the target's echo actor.
 * The target (this JVM, hosting the media driver) must keep answering every ask, account for every
 * injected frame in its counters, and log its rejections at a limited rate.
 *
 * <p>Accounting: each frame that reaches the target's transport thread adds exactly one to {@code
 * rejected-frames}, {@code decode-failures} or {@code msgs-received}, except the first chunk of a
 * message that never ends (nothing to count yet; the injector says how many it sent). The asker's
 * asks are the only other messages the target receives. So, exactly: {@code rejected +
 * decodeFailures + (received - asks) == offered - uncounted}. And every message for an export id
 * that does not exist is dead-lettered: {@code deadLetters >= missingExport} (echo replies to
 * mutated refs may add more).
 */
class HostileFramesMultiProcessTest {
    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration ASK = Duration.ofSeconds(5);
    private static final int FRAMES = 300_000;

    /**
     * Long enough for the rate-limited log to show several lines, each with the count it
     * suppressed.
     */
    private static final Duration MIN_FLOOD = Duration.ofMillis(2_500);

    private static final Pattern INJECTED =
            Pattern.compile(
                    "INJECTED offered=(\\d+) uncounted=(\\d+) missingExport=(\\d+) seconds=([0-9.]+)");

    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();

    private final List<ChildJvm> children = new ArrayList<>();
    private final List<ActorTestKit> kits = new ArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @AfterEach
    void tearDown() {
        children.forEach(ChildJvm::kill);
        for (int i = kits.size() - 1; i >= 0; i--) {
            kits.get(i).shutdownTestKit(); // the target, which hosts the driver, last
        }
        ((Logger) LoggerFactory.getLogger(Transport.class.getPackageName())).detachAppender(log);
    }

    private RemoteNode node(String name) {
        ActorTestKit kit = ActorTestKit.create(name, aeronDir.config("node-name", name));
        kits.add(kit);
        RemoteNode node = RemoteNode.get(kit.system());
        node.register(FrameProtocol.Msg.class);
        return node;
    }

    @Test
    void shouldServeAsksAndCountEveryFrameWhileAnotherProcessFloodsItsStreamWithGarbage()
            throws Exception {
        RemoteNode target = node("target");
        target.publish(
                "echo",
                kits.get(0).spawn(FrameProtocol.echo("target", null), "echo"),
                FrameProtocol.Msg.class);
        RemoteNode asker = node("asker");
        ActorTestKit askerKit = kits.get(1);
        ActorRef<FrameProtocol.Msg> echo =
                asker.lookup("target", "echo", FrameProtocol.Msg.class)
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
        log.start();
        ((Logger) LoggerFactory.getLogger(Transport.class.getPackageName())).addAppender(log);

        ChildJvm injector =
                TestJvms.start(
                        HostileFrameInjector.class,
                        aeronDir.jvmOptions("node-name", "injector"),
                        "target",
                        Integer.toString(FRAMES),
                        Long.toString(MIN_FLOOD.toMillis()),
                        "20261127");
        children.add(injector);
        injector.awaitLine("^READY injector", READY);
        long rejected0 = target.counter("rejected-frames");
        long failures0 = target.counter("decode-failures");
        long received0 = target.counter("msgs-received");
        long dead0 = target.counter("dead-letters");
        int logged0 = rejectionLines().size();

        // Asks from the asker node, concurrently with the flood, each checked.
        AtomicBoolean flooding = new AtomicBoolean(true);
        List<String> askFailures = new CopyOnWriteArrayList<>();
        long[] askStats = new long[2]; // count, slowest ms
        Thread asks =
                new Thread(
                        () -> {
                            int seq = 0;
                            while (flooding.get() || seq < 20) {
                                int s = ++seq;
                                long t0 = System.nanoTime();
                                try {
                                    FrameProtocol.Pong pong =
                                            AskPattern.<FrameProtocol.Msg, FrameProtocol.Pong>ask(
                                                            echo,
                                                            r -> new FrameProtocol.Ping(s, r),
                                                            ASK,
                                                            askerKit.scheduler())
                                                    .toCompletableFuture()
                                                    .get(
                                                            ASK.toMillis() + 1_000,
                                                            TimeUnit.MILLISECONDS);
                                    if (!pong.equals(new FrameProtocol.Pong(s, "target"))) {
                                        askFailures.add("ask " + s + " got " + pong);
                                    }
                                } catch (Exception e) {
                                    askFailures.add("ask " + s + " failed: " + e);
                                }
                                askStats[0] = s;
                                askStats[1] =
                                        Math.max(
                                                askStats[1],
                                                TimeUnit.NANOSECONDS.toMillis(
                                                        System.nanoTime() - t0));
                            }
                        },
                        "asker");
        long floodStart = System.nanoTime();
        asks.start();
        injector.send("go");
        Matcher done = INJECTED.matcher(injector.awaitLine(INJECTED, Duration.ofSeconds(120)));
        assertTrue(done.find());
        double floodSeconds = (System.nanoTime() - floodStart) / 1e9;
        flooding.set(false);
        asks.join(TimeUnit.SECONDS.toMillis(60));
        assertTrue(!asks.isAlive(), "the asks finish");
        long offered = Long.parseLong(done.group(1));
        long uncounted = Long.parseLong(done.group(2));
        long missingExport = Long.parseLong(done.group(3));
        long askCount = askStats[0];

        assertEquals(List.of(), askFailures, "every ask during the flood is answered correctly");
        assertTrue(askCount >= 20, "asks ran during the flood: " + askCount);
        assertTrue(offered >= FRAMES, injector.output());

        long rejected = target.counter("rejected-frames") - rejected0;
        long failures = target.counter("decode-failures") - failures0;
        long received = target.counter("msgs-received") - received0 - askCount;
        long dead = target.counter("dead-letters") - dead0;
        String summary =
                "offered "
                        + offered
                        + " (uncounted chunk starts "
                        + uncounted
                        + "), rejected "
                        + rejected
                        + ", decode failures "
                        + failures
                        + ", received "
                        + received
                        + " (+"
                        + askCount
                        + " asks, slowest "
                        + askStats[1]
                        + " ms), dead letters "
                        + dead
                        + " (>= "
                        + missingExport
                        + " expected) in "
                        + String.format(Locale.ROOT, "%.1f", floodSeconds)
                        + " s; "
                        + done.group(0);
        System.out.println("HostileFramesMultiProcessTest: " + summary);
        assertEquals(
                offered - uncounted,
                rejected + failures + received,
                "every frame is counted once: " + summary);
        assertTrue(rejected > offered / 2 && failures > 0 && received > 0, summary);
        assertTrue(dead >= missingExport, summary);

        List<ILoggingEvent> lines = rejectionLines().subList(logged0, rejectionLines().size());
        long allowed = (long) Math.ceil(floodSeconds) + 2; // one line a second, plus the first
        assertTrue(
                !lines.isEmpty() && lines.size() <= allowed,
                lines.size()
                        + " rejection lines in "
                        + floodSeconds
                        + " s (allowed "
                        + allowed
                        + ")");
        assertTrue(
                lines.stream()
                        .anyMatch(
                                e ->
                                        e.getFormattedMessage()
                                                .contains("more rejections in the last")),
                "the log says how many rejections it did not show: "
                        + lines.get(lines.size() - 1).getFormattedMessage());
        synchronized (log) {
            assertTrue(
                    log.list.stream().noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)),
                    "no transport error: "
                            + log.list.stream()
                                    .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                                    .map(ILoggingEvent::getFormattedMessage)
                                    .findFirst()
                                    .orElse(""));
        }
        // Still serving, from a node other than the one that sent the garbage.
        FrameProtocol.Pong after =
                AskPattern.<FrameProtocol.Msg, FrameProtocol.Pong>ask(
                                echo, r -> new FrameProtocol.Ping(-1, r), ASK, askerKit.scheduler())
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
        assertEquals(new FrameProtocol.Pong(-1, "target"), after);
        assertTrue(injector.isAlive(), "the injector node itself keeps running");
        injector.send("exit");
        assertEquals(0, injector.awaitExit(Duration.ofSeconds(30)), injector.output());
    }

    private List<ILoggingEvent> rejectionLines() {
        synchronized (log) {
            return log.list.stream()
                    .filter(
                            e ->
                                    e.getLoggerName().equals(Rejections.class.getName())
                                            && e.getFormattedMessage()
                                                    .startsWith("Node target rejected"))
                    .toList();
        }
    }
}
