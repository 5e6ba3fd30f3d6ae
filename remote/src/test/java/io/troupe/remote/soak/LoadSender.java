package io.troupe.remote.soak;

import akka.actor.AllDeadLetters;
import akka.actor.Dropped;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.troupe.remote.MembershipEvent;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.soak.LoadLedger.Dead;
import io.troupe.remote.soak.LoadLedger.Total;
import io.troupe.remote.soak.SoakProtocol.Load;
import io.troupe.remote.soak.SoakProtocol.Stray;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The load mode's sender, one per process: pushes one-way {@link Load} tells to every other
 * process's {@link LoadReceiver} at a paced rate ({@code ratePerSecond} for this process, spread
 * round-robin over its peers), in bursts of at most {@value #BURST} between which its mailbox (dead
 * letters, membership) is served. Every {@value #STRAY_EVERY}th sequence number of a pair is a
 * {@link Stray} instead, sent through the same ref (obtained for {@code Load}), which the sender's
 * node must refuse.
 *
 * <p>Pacing: the number due is {@code rate x time since the first peer was known}, less what was
 * sent; a backlog of more than {@value #MAX_BACKLOG_MILLIS} ms (a stall) is forgiven rather than
 * sent in one burst. When nothing is due it waits for a timer (Akka's scheduler ticks every 10 ms
 * by default, so bursts are that long).
 *
 * <p>It learns peers from membership (NodeUp, then a lookup of {@value #RECEIVER_NAME}), stops
 * sending to a peer at its NodeDown, counts each message in its {@link LoadLedger} before the tell
 * (so a kill between the two shows as lost with the sender, never as a phantom), and counts its own
 * dead letters (Troupe's {@code Dropped} events) by reason and sequence number. It stops sending
 * when the test writes 1 into the shared control file.
 *
 * <p>Thread safety: an actor; its state is confined to it.
 */
final class LoadSender extends AbstractBehavior<Object> {
    static final String RECEIVER_NAME = "soak-load";
    static final int STRAY_EVERY = 4096;
    static final int BURST = 512;
    static final long MAX_BACKLOG_MILLIS = 100;
    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration PAUSE = Duration.ofMillis(1);

    private enum Pump {
        INSTANCE
    }

    private enum Tick {
        INSTANCE
    }

    private record LookedUp(String name, ActorRef<Load> ref, Throwable error) {}

    /** A peer's receiver; {@code raw} is the same ref, for the strays. */
    private record Target(
            String name, long incarnation, ActorRef<Load> ref, ActorRef<Object> raw) {}

    private final RemoteNode node;
    private final LoadLedger ledger;
    private final long me;
    private final long ratePerSecond;
    private final MappedByteBuffer control;
    private final TimerScheduler<Object> timers;
    private final List<Target> targets = new ArrayList<>();
    private final Set<Long> down = new HashSet<>();
    private long pacingFrom;
    private long paced;
    private int next;
    private boolean pumping;
    private boolean stopped;

    static Behavior<Object> create(
            RemoteNode node, LoadLedger ledger, Path controlFile, long ratePerSecond) {
        return Behaviors.setup(
                ctx ->
                        Behaviors.withTimers(
                                timers ->
                                        new LoadSender(
                                                ctx,
                                                timers,
                                                node,
                                                ledger,
                                                controlFile,
                                                ratePerSecond)));
    }

    private LoadSender(
            ActorContext<Object> ctx,
            TimerScheduler<Object> timers,
            RemoteNode node,
            LoadLedger ledger,
            Path controlFile,
            long ratePerSecond) {
        super(ctx);
        this.node = node;
        this.ledger = ledger;
        this.me = node.incarnation();
        this.ratePerSecond = ratePerSecond;
        this.control = TrafficActor.mapControl(controlFile);
        this.timers = timers;
        ctx.getSystem()
                .eventStream()
                .tell(new EventStream.Subscribe<>(AllDeadLetters.class, ctx.getSelf().narrow()));
        node.subscribe(ctx.getSelf().narrow());
        timers.startTimerWithFixedDelay(Tick.INSTANCE, Tick.INSTANCE, TICK);
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
                .onMessage(Pump.class, p -> onPump())
                .onMessage(Tick.class, t -> onTick())
                .onMessage(MembershipEvent.NodeUp.class, this::onNodeUp)
                .onMessage(MembershipEvent.NodeDown.class, this::onNodeDown)
                .onMessage(LookedUp.class, this::onLookedUp)
                .onMessage(AllDeadLetters.class, this::onDeadLetter)
                .build();
    }

    private boolean stopRequested() {
        if (!stopped && control.getLong(0) != 0) {
            stopped = true;
            ledger.set(Total.STOPPED, 1);
        }
        return stopped;
    }

    private Behavior<Object> onPump() {
        ledger.add(Total.PUMPS, 1);
        if (stopRequested() || targets.isEmpty()) {
            pumping = false;
            return this;
        }
        long due =
                (System.nanoTime() - pacingFrom)
                                / 1_000
                                * ratePerSecond
                                / 1_000_000 // µs x msgs/s, no overflow in a day
                        - paced;
        long backlog = ratePerSecond * MAX_BACKLOG_MILLIS / 1_000;
        if (due > backlog) {
            paced += due - backlog; // a stall's backlog is forgiven, not sent at once
            due = backlog;
        }
        int n = (int) Math.min(due, BURST);
        for (int i = 0; i < n; i++) {
            if (next >= targets.size()) {
                next = 0;
            }
            send(targets.get(next++));
        }
        paced += n;
        if (due > n) {
            getContext().getSelf().tell(Pump.INSTANCE);
        } else {
            timers.startSingleTimer(Pump.INSTANCE, Pump.INSTANCE, PAUSE);
        }
        return this;
    }

    private void send(Target t) {
        long seq = ledger.handed(t.incarnation);
        if (seq % STRAY_EVERY == 0) {
            t.raw.tell(new Stray(me, t.incarnation, seq));
        } else {
            t.ref.tell(new Load(me, t.incarnation, seq));
        }
    }

    private void startPumping() {
        if (!pumping && !stopped) {
            pumping = true;
            if (pacingFrom == 0) {
                pacingFrom = System.nanoTime();
            }
            getContext().getSelf().tell(Pump.INSTANCE);
        }
    }

    private Behavior<Object> onTick() {
        ledger.add(Total.TICKS, 1);
        ledger.set(Total.NODE_MSGS_SENT, node.counter("msgs-sent"));
        ledger.set(Total.NODE_MSGS_RECEIVED, node.counter("msgs-received"));
        ledger.set(Total.NODE_DEAD_LETTERS, node.counter("dead-letters"));
        ledger.set(Total.NODE_REFUSED_AT_SENDER, node.counter("refused-at-sender"));
        ledger.set(Total.NODE_REJECTED_FRAMES, node.counter("rejected-frames"));
        ledger.set(Total.NODE_REJECTED_MESSAGES, node.counter("rejected-messages"));
        ledger.set(Total.NODE_DECODE_FAILURES, node.counter("decode-failures"));
        ledger.set(Total.NODE_BACK_PRESSURE_EVENTS, node.counter("back-pressure-events"));
        stopRequested();
        return this;
    }

    private Behavior<Object> onNodeUp(MembershipEvent.NodeUp up) {
        String name = up.member().name();
        if (!name.equals(node.name()) && !down.contains(up.member().incarnation())) {
            getContext()
                    .pipeToSelf(
                            node.lookup(name, RECEIVER_NAME, Load.class, Duration.ofSeconds(20)),
                            (ref, error) -> new LookedUp(name, ref, error));
        }
        return this;
    }

    private Behavior<Object> onNodeDown(MembershipEvent.NodeDown nodeDown) {
        long incarnation = nodeDown.member().incarnation();
        down.add(incarnation);
        targets.removeIf(t -> t.incarnation == incarnation);
        ledger.set(Total.TARGETS_KNOWN, targets.size());
        return this;
    }

    @SuppressWarnings("unchecked")
    private Behavior<Object> onLookedUp(LookedUp l) {
        if (l.error() != null) {
            ledger.add(Total.LOOKUPS_FAILED, 1);
            ledger.otherReason("lookup of " + l.name() + " failed: " + l.error());
            return this;
        }
        long incarnation = TrafficActor.incarnation(l.ref());
        if (down.contains(incarnation)
                || targets.stream().anyMatch(t -> t.incarnation == incarnation)) {
            return this;
        }
        // The ref refuses what is not a Load: the strays go through it as a stale ref would.
        ActorRef<Object> raw = (ActorRef<Object>) (ActorRef<?>) l.ref();
        targets.add(new Target(l.name(), incarnation, l.ref(), raw));
        ledger.know(incarnation);
        ledger.set(Total.TARGETS_KNOWN, targets.size());
        startPumping();
        return this;
    }

    private Behavior<Object> onDeadLetter(AllDeadLetters d) {
        Object m = d.message();
        String reason =
                d instanceof Dropped dropped ? dropped.reason() : d.getClass().getSimpleName();
        long from;
        long to;
        long seq;
        if (m instanceof Load l) {
            from = l.from();
            to = l.to();
            seq = l.seq();
        } else if (m instanceof Stray s) {
            from = s.from();
            to = s.to();
            seq = s.seq();
        } else {
            ledger.add(Total.OTHER_DEAD_LETTERS, 1);
            return this;
        }
        if (from != me) {
            return this; // dead-lettered at this node as the receiver: LoadReceiver counts it
        }
        Dead why = Dead.classify(reason);
        if (why == Dead.OTHER) {
            ledger.otherReason(reason);
        }
        ledger.dead(to, seq, why);
        return this;
    }
}
