package io.troupe.benchmarks.scenarios;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import io.troupe.benchmarks.jmh.Payload;
import io.troupe.benchmarks.report.RemoteTable;
import io.troupe.core.Troupe;
import io.troupe.remote.RemoteNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One-way throughput of a small record (~32 B encoded: {@link Payload#SMALL} numbered in order)
 * from one thread in the harness process to one receiver in a second process.
 *
 * <pre>
 *   process A (harness)                                     process B (peer JVM)
 *   main thread ──Small #0..N-1──▶ [Aeron IPC, 1 MiB terms] ──▶ receiver: count, check order
 *               ◀──────────────── Received(received, outOfOrder) ──
 * </pre>
 *
 * <ul>
 *   <li>Troupe: the harness's main thread {@code tell}s a remote {@code ActorRef<Payload.Small>}
 *       (Troupe encodes on the caller's thread and offers to Aeron directly); the receiver is a
 *       {@link Sink} actor on the peer node.
 *   <li>Baselines ({@link AeronBaseline}): the main thread offers frames, retrying with back-off
 *       while back-pressured; the peer's main thread polls and counts.
 *   <li>{@code akka-artery}: the main thread {@code tell}s the peer's {@link ArterySink} over
 *       Artery TCP, at most {@value ArteryRemoting#WINDOW} unacknowledged (the sink acknowledges
 *       every {@value ArteryRemoting#ACK_EVERY}): without the window Artery drops what overflows
 *       its queue. The round is driven over the peer's stdin ({@link FanGroup#fanOut} with one
 *       receiver), and it sends {@code arteryDivisor} times fewer messages.
 *   <li>{@code troupe-cluster}: the same over Troupe's nodes in cluster mode on two loopback
 *       "machines" ({@link ClusterNodes}): the main thread {@code tell}s {@link Payload.Small} to a
 *       {@code ClusterRef} of the peer's {@link ClusterSink} (encoded by Troupe's codec on the main
 *       thread, carried by Artery TCP to the peer node's gateway), behind the same window ({@link
 *       ClusterFlow.Window}), with the same counts as {@code akka-artery}.
 * </ul>
 *
 * A round starts when the receiver confirmed it expects {@code N} messages and ends when it has
 * counted all of them (the harness asks after its last send; the answer comes when the last one was
 * processed). One unmeasured warm-up round comes first; msgs/s is the median of the measured
 * rounds. {@code lost} is sent minus received over every round, the warm-up included: it must be 0.
 *
 * <p>Thread safety: runs on the harness thread.
 */
final class OneToOneThroughput {
    private static final Duration ASK = Duration.ofSeconds(10);

    private OneToOneThroughput() {}

    /**
     * Troupe and the Aeron baselines; {@code akka-artery} runs through {@link #runArtery} on a
     * shared group.
     */
    static RemoteTable.Throughput run(BenchSystem system, Run run) {
        if (system.isArtery()) {
            try (FanGroup group = FanGroup.start(system, run)) {
                return runArtery(group, run);
            }
        }
        return system.isTroupe() ? runTroupe(system, run) : runBaseline(system, run);
    }

    /** Rounds: the warm-up (if any) first, then the measured ones. */
    private static List<Long> rounds(RunSizes s) {
        List<Long> rounds = new ArrayList<>();
        if (s.warmupMessages() > 0) {
            rounds.add(s.warmupMessages());
        }
        for (int i = 0; i < s.rounds(); i++) {
            rounds.add(s.messages());
        }
        return rounds;
    }

    private static RemoteTable.Throughput runTroupe(BenchSystem system, Run run) {
        RunSizes s = run.sizes();
        String idle = system.troupeIdleStrategy();
        try (ScratchAeronDir dir = new ScratchAeronDir()) {
            ActorSystem<Void> actors =
                    TroupeNodes.startParent("bench-harness", dir.path(), idle, TroupeNodes.PARENT);
            PeerProcess peer = null;
            try {
                RemoteNode node = RemoteNode.get(actors);
                peer =
                        run.startPeer(
                                system,
                                "sink",
                                TroupeNodes.peerJvmOptions(dir.path(), idle),
                                dir.path());
                ActorRef<Payload.Small> data =
                        TroupeNodes.await(
                                node.lookup(TroupeNodes.PEER, Sink.NAME, Payload.Small.class),
                                ASK,
                                "Looking up the sink");
                ActorRef<Sink.Command> control =
                        TroupeNodes.await(
                                node.lookup(TroupeNodes.PEER, Sink.NAME, Sink.Command.class),
                                ASK,
                                "Looking up the sink");

                List<Long> rounds = rounds(s);
                List<Double> rates = new ArrayList<>();
                long sent = 0;
                long received = 0;
                long outOfOrder = 0;
                long deadLettersBefore = node.counter("dead-letters");
                ContextSwitches.Reading switches = null;
                for (int i = 0; i < rounds.size(); i++) {
                    long n = rounds.get(i);
                    if (i == rounds.size() - s.rounds()) {
                        switches = ContextSwitches.Reading.now(peer.pid());
                    }
                    Sink.expect(control, n, actors.scheduler());
                    long start = System.nanoTime();
                    for (long seq = 0; seq < n; seq++) {
                        data.tell(Sequenced.small(seq));
                    }
                    Sink.Received r =
                            Sink.awaitAll(control, RunSizes.oneWayTimeout(n), actors.scheduler());
                    long elapsed = System.nanoTime() - start;
                    sent += n;
                    received += r.received();
                    outOfOrder += r.outOfOrder();
                    boolean warmup = s.warmupMessages() > 0 && i == 0;
                    double rate = r.received() * 1e9 / elapsed;
                    if (!warmup) {
                        rates.add(rate);
                    }
                    run.progress(
                            "%s %s %s: %,d msgs in %.0f ms, %,.0f msgs/s, %d missing",
                            RemoteTable.ONE_WAY,
                            system,
                            warmup ? "warm-up" : "round " + rates.size(),
                            n,
                            elapsed / 1e6,
                            rate,
                            n - r.received());
                }
                // The record's encoded size. (Bytes per frame from the node's counters, less the
                // 24-byte header, came out at 18 B
                // on a loaded machine: the counters then no longer match one message per frame.)
                int msgBytes = Troupe.get(actors).codec().encode(Sequenced.small(0)).length;
                RemoteTable.Switches perMessage = switches.perOpUntilNow(s.rounds() * s.messages());
                return new RemoteTable.Throughput(
                        system.label(),
                        msgBytes,
                        s.messages(),
                        rates,
                        sent,
                        received,
                        outOfOrder,
                        node.counter("dead-letters") - deadLettersBefore,
                        perMessage,
                        system.idleStrategy());
            } finally {
                TroupeNodes.stopAfter(peer, actors);
            }
        }
    }

    private static RemoteTable.Throughput runBaseline(BenchSystem system, Run run) {
        RunSizes s = run.sizes();
        AeronBaseline.Codec codec = AeronBaseline.Codec.forSystem(system);
        try (ScratchAeronDir dir = new ScratchAeronDir();
                AeronBaseline.Harness harness = new AeronBaseline.Harness(dir.path(), codec);
                PeerProcess peer = run.startPeer(system, "sink", List.of(), dir.path())) {
            harness.awaitConnected(Duration.ofSeconds(30));
            List<Long> rounds = rounds(s);
            List<Double> rates = new ArrayList<>();
            long sent = 0;
            long received = 0;
            long outOfOrder = 0;
            ContextSwitches.Reading switches = null;
            for (int i = 0; i < rounds.size(); i++) {
                long n = rounds.get(i);
                if (i == rounds.size() - s.rounds()) {
                    switches = ContextSwitches.Reading.now(peer.pid());
                }
                long[] r = harness.oneWayRound(n, RunSizes.oneWayTimeout(n));
                sent += n;
                received += r[0];
                outOfOrder += r[1];
                boolean warmup = s.warmupMessages() > 0 && i == 0;
                double rate = r[0] * 1e9 / r[2];
                if (!warmup) {
                    rates.add(rate);
                }
                run.progress(
                        "%s %s %s: %,d msgs in %.0f ms, %,.0f msgs/s, %d missing",
                        RemoteTable.ONE_WAY,
                        system,
                        warmup ? "warm-up" : "round " + rates.size(),
                        n,
                        r[2] / 1e6,
                        rate,
                        n - r[0]);
            }
            RemoteTable.Switches perMessage = switches.perOpUntilNow(s.rounds() * s.messages());
            return new RemoteTable.Throughput(
                    system.label(),
                    codec.messageBytes(),
                    s.messages(),
                    rates,
                    sent,
                    received,
                    outOfOrder,
                    0,
                    perMessage,
                    system.idleStrategy());
        }
    }

    /**
     * {@code akka-artery} or {@code troupe-cluster} (both over Artery, on a {@link FanGroup})
     * towards the group's peer 0 (started here if the group has none).
     */
    static RemoteTable.Throughput runArtery(FanGroup group, Run run) {
        BenchSystem system = group.system;
        RunSizes s = run.sizes().forSystem(system);
        group.growTo(Math.max(1, group.peers.size()));
        List<Long> rounds = rounds(s);
        List<Double> rates = new ArrayList<>();
        long sent = 0;
        long received = 0;
        long outOfOrder = 0;
        long deadLettersBefore = group.deadLetters();
        ContextSwitches.Reading switches = null;
        for (int i = 0; i < rounds.size(); i++) {
            long n = rounds.get(i);
            if (i == rounds.size() - s.rounds()) {
                switches = ContextSwitches.Reading.now(group.peers.get(0).pid());
            }
            FanGroup.Round r = group.fanOut(1, n);
            sent += r.sent();
            received += r.received();
            outOfOrder += r.outOfOrder();
            boolean warmup = s.warmupMessages() > 0 && i == 0;
            if (!warmup) {
                rates.add(r.rate());
            }
            run.progress(
                    "%s %s %s: %,d msgs in %.0f ms, %,.0f msgs/s, %d missing",
                    RemoteTable.ONE_WAY,
                    system,
                    warmup ? "warm-up" : "round " + rates.size(),
                    n,
                    r.nanos() / 1e6,
                    r.rate(),
                    n - r.received());
            if (r.received() != n) {
                break;
            }
        }
        RemoteTable.Switches perMessage =
                switches == null ? null : switches.perOpUntilNow(s.rounds() * s.messages());
        return new RemoteTable.Throughput(
                system.label(),
                group.msgBytes(),
                s.messages(),
                rates.isEmpty() ? List.of(0.0) : rates,
                sent,
                received,
                outOfOrder,
                group.deadLetters() - deadLettersBefore,
                perMessage,
                system.idleStrategy());
    }
}
