package io.troupe.remote.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.agrona.concurrent.Agent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The duty cycle of a node's one transport thread: poll the membership stream and the inbound
 * stream, run the commands other threads handed over, offer what waits under back-pressure, and on
 * a timer run heartbeats and failure detection, retry and time out lookups and spawns, and flush
 * counters. It never blocks on a peer. Between polls it runs the actors of the event-loop
 * dispatcher ({@link EventLoop}), within bounds per cycle.
 *
 * <p>Once the media driver is lost there is nothing to poll, but the cycle goes on without the
 * streams: commands still run (a new watch yields {@code Terminated} at once) and lookups and
 * spawns still finish.
 *
 * <p>Thread safety: runs on its own thread (one per node); {@link #awaitDiscovery} is for the
 * starting thread.
 */
final class TransportAgent implements Agent {
    private static final Logger LOG = LoggerFactory.getLogger(TransportAgent.class);
    private static final long TICK_NANOS = Duration.ofMillis(5).toNanos();
    private static final long SWEEP_NANOS = Duration.ofMillis(100).toNanos();

    private final String node;
    private final Membership membership;
    private final Inbound inbound;
    private final Outbound outbound;
    private final Links links;
    private final Commands commands;
    private final Lookups lookups;
    private final Spawns spawns;
    private final Exports exports;
    private final NodeCounters counters;
    private final Supplier<String> driverLost;
    private final EventLoop eventLoop;
    private final EventLoop.Bounds eventLoopBounds;
    private final CountDownLatch discovered = new CountDownLatch(1);
    private volatile long discoveryEndsNanos = Long.MAX_VALUE;
    private boolean streamsGone;
    private long nextTick;
    private long nextSweep;

    TransportAgent(
            String node,
            Membership membership,
            Inbound inbound,
            Outbound outbound,
            Links links,
            Commands commands,
            Lookups lookups,
            Spawns spawns,
            Exports exports,
            NodeCounters counters,
            Supplier<String> driverLost,
            EventLoop eventLoop,
            EventLoop.Bounds eventLoopBounds) {
        this.eventLoop = eventLoop;
        this.eventLoopBounds = eventLoopBounds;
        this.node = node;
        this.membership = membership;
        this.inbound = inbound;
        this.outbound = outbound;
        this.links = links;
        this.commands = commands;
        this.lookups = lookups;
        this.spawns = spawns;
        this.exports = exports;
        this.counters = counters;
        this.driverLost = driverLost;
    }

    @Override
    public String roleName() {
        return "troupe-transport-" + node;
    }

    @Override
    public void onStart() {
        lowerTimerSlack();
        eventLoop.attach(
                eventLoopBounds.overrunNanos(),
                nanos -> counters.increment(NodeCounters.Kind.EVENT_LOOP_OVERRUNS));
    }

    /**
     * On Linux a park of 1 µs sleeps ~50 µs more (the default timer slack): the backoff idle
     * strategy parks between messages, so this thread asks for 1 ns of slack on itself (allowed
     * without privilege for one's own thread). Elsewhere, or if refused, nothing changes.
     */
    private static void lowerTimerSlack() {
        try {
            Path slack = Path.of("/proc/thread-self/timerslack_ns");
            if (Files.isWritable(slack)) {
                Files.writeString(slack, "1");
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not lower the timer slack of the transport thread: {}", e.toString());
        }
    }

    /**
     * Blocks the starting thread until the node has announced itself and heard the others answer.
     */
    void awaitDiscovery(Duration window) {
        discoveryEndsNanos = System.nanoTime() + window.toNanos();
        try {
            discovered.await(window.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int doWork() {
        int work = 0;
        if (!streamsGone && driverLost.get() != null) {
            streamsGone = true; // every link is down now; the Aeron client must not be touched
            work++;
        }
        long now = System.nanoTime();
        if (!streamsGone) {
            work += membership.poll();
            work += inbound.poll(now);
        }
        work += commands.runAll();
        // Actors on the event-loop dispatcher, among them those the messages just read went to.
        work += eventLoop.runSome(eventLoopBounds.maxRuns(), eventLoopBounds.budgetNanos());
        for (NodeLink l : links.up()) {
            if (!l.queue.isEmpty()) {
                work += outbound.drain(l, now);
            }
        }
        if (now - nextTick >= 0 || membership.announceNow()) {
            nextTick = now + TICK_NANOS;
            work += tick(now);
        }
        return work;
    }

    private int tick(long now) {
        int work = 0;
        if (!streamsGone) {
            work += membership.tick(now);
            inbound.tick();
            counters.flush();
        }
        if (now - discoveryEndsNanos >= 0) {
            discovered.countDown();
        }
        work += lookups.tick(now);
        work += spawns.tick(now);
        if (now - nextSweep >= 0) {
            nextSweep = now + SWEEP_NANOS;
            exports.sweepTemporary();
        }
        return work;
    }

    @Override
    public void onClose() {
        eventLoop.detach();
        discovered.countDown();
    }
}
