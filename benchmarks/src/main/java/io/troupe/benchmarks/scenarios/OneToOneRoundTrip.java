package io.troupe.benchmarks.scenarios;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import io.troupe.benchmarks.jmh.Payload;
import io.troupe.benchmarks.report.RemoteTable;
import io.troupe.core.Troupe;
import io.troupe.core.codec.MessageCodec;
import io.troupe.remote.RemoteNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntToLongFunction;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.HdrHistogram.Histogram;

/**
 * Round-trip latency between two processes, one request in flight at a time, recorded in an
 * HdrHistogram after a warm-up.
 *
 * <pre>
 *   process A (harness)                                 process B (peer JVM)
 *   main thread ──request #i──▶ [Aeron IPC] ──▶ answerer
 *   main thread ◀──reply #i──── [Aeron IPC] ◀──┘
 *   (time from before the request until the reply is in the main thread's hands)
 * </pre>
 *
 * <ul>
 *   <li>Troupe: {@code AskPattern.ask} from the harness's main thread, which blocks on the returned
 *       future: the request is an {@link Echo.Ping} carrying {@link Payload#SMALL} (numbered) and
 *       the ask's temporary reply ref, answered by an {@link Echo} actor on the peer node with the
 *       record alone. This is the path a user's ask takes, including the wake-ups: the peer's
 *       transport thread hands the request to the echo actor's dispatcher thread, and the harness's
 *       transport thread completes the future the main thread waits on.
 *   <li>Baselines ({@link AeronBaseline}): the main thread offers the frame and polls the reply
 *       stream with back-off; the peer's main thread polls and answers with the same bytes ({@code
 *       aeron-raw}) or decodes and re-encodes the record ({@code kryo-aeron}).
 *   <li>{@code akka-artery}: as Troupe, {@code AskPattern.ask} from the main thread, over Artery
 *       TCP: an {@link ArteryProtocol.Ping} (Jackson CBOR, the ask's temporary ref inside) to an
 *       echo actor on the peer's Artery system, which answers with the body. It makes {@code
 *       arteryDivisor} times fewer round trips.
 *   <li>{@code troupe-cluster}: as Troupe, {@code AskPattern.ask} of an {@link Echo} on a node of
 *       another "machine" ({@link ClusterNodes}), through a {@code ClusterRef}: Troupe's codec over
 *       Artery TCP both ways, with {@code akka-artery}'s counts ({@link #runCluster}).
 * </ul>
 *
 * {@code lost} counts round trips with no answer within 10 s or with the wrong answer.
 *
 * <p>Thread safety: runs on the harness thread.
 */
final class OneToOneRoundTrip {
    private static final Duration LOOKUP = Duration.ofSeconds(10);

    /**
     * Troupe's progress lines give each stretch of this many round trips, so a drift over the run
     * shows.
     */
    private static final int PROGRESS_EVERY = 50_000;

    private OneToOneRoundTrip() {}

    /**
     * Troupe and the Aeron baselines; {@code akka-artery} runs through {@link #runArtery} on a
     * shared group.
     */
    static RemoteTable.Latency run(BenchSystem system, Run run) {
        if (system.isArtery()) {
            try (FanGroup group = FanGroup.start(system, run)) {
                return runArtery(group, run);
            }
        }
        return system.isTroupe() ? runTroupe(system, run) : runBaseline(system, run);
    }

    private static Histogram histogram() {
        return new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    }

    private static RemoteTable.Latency runTroupe(BenchSystem system, Run run) {
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
                                "echo",
                                TroupeNodes.peerJvmOptions(dir.path(), idle),
                                dir.path());
                ActorRef<Echo.Command> echo =
                        TroupeNodes.await(
                                node.lookup(TroupeNodes.PEER, Echo.NAME, Echo.Command.class),
                                LOOKUP,
                                "Looking up the echo");
                long[] before = new long[2]; // bytes and frames sent when the warm-up ended
                Trips t =
                        trips(
                                run,
                                system,
                                s,
                                peer.pid(),
                                i -> askEcho(echo, i, actors),
                                () -> {
                                    before[0] = node.counter("bytes-sent");
                                    before[1] = node.counter("msgs-sent");
                                },
                                () ->
                                        String.format(
                                                "; %,d actors exported by the harness node",
                                                node.exportedActors()));
                long frames = node.counter("msgs-sent") - before[1];
                long bytes = node.counter("bytes-sent") - before[0];
                int requestBytes =
                        (int) Math.round((double) bytes / frames) - TroupeNodes.FRAME_HEADER_BYTES;
                int replyBytes = Troupe.get(actors).codec().encode(Sequenced.small(0)).length;
                return latency(system, requestBytes, replyBytes, s.roundTrips(), t);
            } finally {
                TroupeNodes.stopAfter(peer, actors);
            }
        }
    }

    private static RemoteTable.Latency runBaseline(BenchSystem system, Run run) {
        RunSizes s = run.sizes();
        AeronBaseline.Codec codec = AeronBaseline.Codec.forSystem(system);
        try (ScratchAeronDir dir = new ScratchAeronDir();
                AeronBaseline.Harness harness = new AeronBaseline.Harness(dir.path(), codec);
                PeerProcess peer = run.startPeer(system, "echo", List.of(), dir.path())) {
            harness.awaitConnected(Duration.ofSeconds(30));
            long timeout = RunSizes.ROUND_TRIP_TIMEOUT.toNanos();
            Trips t =
                    trips(
                            run,
                            system,
                            s,
                            peer.pid(),
                            i -> {
                                long t0 = System.nanoTime();
                                boolean right = harness.roundTrip(i, timeout);
                                return right ? System.nanoTime() - t0 : -1;
                            });
            return latency(system, codec.messageBytes(), codec.messageBytes(), s.roundTrips(), t);
        }
    }

    /**
     * {@code akka-artery}: asks to the echo on the group's peer 0 (started here if the group has
     * none).
     */
    static RemoteTable.Latency runArtery(FanGroup group, Run run) {
        BenchSystem system = group.system;
        RunSizes s = run.sizes().forSystem(system);
        group.growTo(Math.max(1, group.peers.size()));
        FanGroup.OnArtery artery = (FanGroup.OnArtery) group;
        ActorSystem<Void> actors = artery.actors;
        ActorRef<ArteryProtocol.Ping> echo =
                ArteryRemoting.resolve(actors, artery.address(0), ArteryRemoting.ECHO);
        Trips t = trips(run, system, s, group.peers.get(0).pid(), i -> askArtery(echo, i, actors));
        ArteryProtocol.Small body = ArteryProtocol.Small.of(0, 0);
        int requestBytes =
                ArteryRemoting.serializedBytes(
                        actors, new ArteryProtocol.Ping(body, actors.deadLetters()));
        int replyBytes = ArteryRemoting.serializedBytes(actors, body);
        return latency(system, requestBytes, replyBytes, s.roundTrips(), t);
    }

    /** One ask of Artery's echo, as {@link #timedAsk} measures it. */
    private static long askArtery(
            ActorRef<ArteryProtocol.Ping> echo, long seq, ActorSystem<?> actors) {
        return timedAsk(
                echo,
                (ActorRef<ArteryProtocol.Small> r) ->
                        new ArteryProtocol.Ping(ArteryProtocol.Small.of(seq, 0), r),
                ArteryProtocol.Small::seq,
                seq,
                actors);
    }

    /** One ask of Troupe's {@link Echo}, as {@link #timedAsk} measures it. */
    private static long askEcho(ActorRef<Echo.Command> echo, long seq, ActorSystem<?> actors) {
        return timedAsk(
                echo,
                (ActorRef<Payload.Small> r) -> new Echo.Ping(Sequenced.small(seq), r),
                Sequenced::seq,
                seq,
                actors);
    }

    /**
     * One ask from this thread, as every actor row measures it: the round trip in nanoseconds, or
     * -1 if it failed, timed out or was answered for another sequence number (lost).
     */
    private static <Q, R> long timedAsk(
            ActorRef<Q> target,
            Function<ActorRef<R>, Q> request,
            ToLongFunction<R> seqOf,
            long seq,
            ActorSystem<?> actors) {
        long t0 = System.nanoTime();
        R reply;
        try {
            reply =
                    AskPattern.ask(
                                    target,
                                    request::apply,
                                    RunSizes.ROUND_TRIP_TIMEOUT,
                                    actors.scheduler())
                            .toCompletableFuture()
                            .get(
                                    RunSizes.ROUND_TRIP_TIMEOUT.toMillis() + 1_000,
                                    TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return -1;
        }
        long nanos = System.nanoTime() - t0;
        return seqOf.applyAsLong(reply) == seq ? nanos : -1;
    }

    /**
     * {@code troupe-cluster}: asks from the main thread to the {@link Echo} on the group's peer 0
     * (started here if the group has none), looked up across machines: a {@code ClusterRef}, so
     * each request is encoded by Troupe's codec and carried by Artery, and so is the reply to the
     * ask's temporary ref (exported by the harness's node, read back at the peer as a {@code
     * ClusterRef}). Same counts as {@code akka-artery}.
     */
    static RemoteTable.Latency runCluster(FanGroup group, Run run) {
        BenchSystem system = group.system;
        RunSizes s = run.sizes().forSystem(system);
        group.growTo(Math.max(1, group.peers.size()));
        FanGroup.OnCluster cluster = (FanGroup.OnCluster) group;
        ActorSystem<Void> actors = cluster.actors;
        ActorRef<Echo.Command> echo = cluster.lookup(0, Echo.NAME, Echo.Command.class);
        Trips t = trips(run, system, s, group.peers.get(0).pid(), i -> askEcho(echo, i, actors));
        int total = s.warmupRoundTrips() + s.roundTrips();
        long timeoutMs = RunSizes.ROUND_TRIP_TIMEOUT.toMillis();
        // The request's size with a real ask's reply ref in it (its home path is part of it), from
        // one more, unmeasured ask.
        MessageCodec codec = Troupe.get(actors).codec();
        int[] requestBytes = {0};
        try {
            AskPattern.ask(
                            echo,
                            (ActorRef<Payload.Small> r) -> {
                                Echo.Ping p = new Echo.Ping(Sequenced.small(total), r);
                                requestBytes[0] = codec.encode(p).length;
                                return p;
                            },
                            RunSizes.ROUND_TRIP_TIMEOUT,
                            actors.scheduler())
                    .toCompletableFuture()
                    .get(timeoutMs + 1_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // the size was taken before the request left; a lost answer here is not measured
        }
        int replyBytes = codec.encode(Sequenced.small(0)).length;
        return latency(system, requestBytes[0], replyBytes, s.roundTrips(), t);
    }

    /**
     * A row's measured round trips: their latencies, the lost ones, the peer's context switches.
     */
    private record Trips(Histogram histogram, long lost, RemoteTable.Switches perTrip) {}

    /**
     * Runs the warm-up and the measured round trips one at a time from this thread: {@code trip}
     * makes trip {@code i} and returns its nanoseconds, or -1 if it was lost.
     */
    private static Trips trips(
            Run run, BenchSystem system, RunSizes s, long peerPid, IntToLongFunction trip) {
        return trips(run, system, s, peerPid, trip, () -> {}, () -> "");
    }

    /**
     * {@link #trips(Run, BenchSystem, RunSizes, long, IntToLongFunction)}, calling {@code warmedUp}
     * when the warm-up ends and adding {@code detail} to the progress line printed every {@value
     * #PROGRESS_EVERY} round trips.
     */
    private static Trips trips(
            Run run,
            BenchSystem system,
            RunSizes s,
            long peerPid,
            IntToLongFunction trip,
            Runnable warmedUp,
            Supplier<String> detail) {
        Histogram h = histogram();
        Histogram chunk = histogram();
        long lost = 0;
        ContextSwitches.Reading switches = null;
        int total = s.warmupRoundTrips() + s.roundTrips();
        long started = System.nanoTime();
        for (int i = 0; i < total; i++) {
            if (i == s.warmupRoundTrips()) {
                switches = ContextSwitches.Reading.now(peerPid);
                warmedUp.run();
                run.progress(
                        "%s %s: %,d warm-up round trips in %.0f ms",
                        RemoteTable.ROUND_TRIP, system, i, (System.nanoTime() - started) / 1e6);
                started = System.nanoTime();
            }
            long nanos = trip.applyAsLong(i);
            if (nanos < 0) {
                lost++;
                continue;
            }
            if (i >= s.warmupRoundTrips()) {
                h.recordValue(nanos);
            }
            chunk.recordValue(nanos);
            if ((i + 1) % PROGRESS_EVERY == 0) {
                run.progress(
                        "%s %s: round trips %,d..%,d: p50 %.1f µs, p99 %.1f µs%s",
                        RemoteTable.ROUND_TRIP,
                        system,
                        i + 1 - PROGRESS_EVERY,
                        i + 1,
                        us(chunk.getValueAtPercentile(50)),
                        us(chunk.getValueAtPercentile(99)),
                        detail.get());
                chunk.reset();
            }
        }
        RemoteTable.Switches perTrip = switches.perOpUntilNow(s.roundTrips());
        run.progress(
                "%s %s: %,d round trips in %.0f ms",
                RemoteTable.ROUND_TRIP,
                system,
                s.roundTrips(),
                (System.nanoTime() - started) / 1e6);
        return new Trips(h, lost, perTrip);
    }

    private static RemoteTable.Latency latency(
            BenchSystem system, int requestBytes, int replyBytes, int roundTrips, Trips t) {
        Histogram h = t.histogram();
        return new RemoteTable.Latency(
                system.label(),
                requestBytes,
                replyBytes,
                roundTrips,
                us(h.getValueAtPercentile(50)),
                us(h.getValueAtPercentile(90)),
                us(h.getValueAtPercentile(99)),
                us(h.getValueAtPercentile(99.9)),
                us(h.getMaxValue()),
                h.getMean() / 1000.0,
                t.lost(),
                t.perTrip(),
                system.idleStrategy());
    }

    private static double us(long nanos) {
        return nanos / 1000.0;
    }
}
