package io.troupe.benchmarks.scenarios;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.logbuffer.FragmentHandler;
import io.troupe.benchmarks.jmh.Payload;
import io.troupe.core.Troupe;
import io.troupe.remote.RemoteNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The harness's end of the scenarios with several peers ({@link FanIn}, {@link FanOut}, and the
 * one-to-one runs of {@code akka-artery} and {@code troupe-cluster}): the harness's own endpoint
 * for one {@link BenchSystem} (a receiver and senders) plus a growing set of {@link FanPeer}
 * processes, numbered from 0. Peers are added with {@link #growTo}, so a run can measure 1, then 2,
 * then 4 peers without idle extra processes in the smaller figures.
 *
 * <p>Closing closes the peers first (so they leave while the harness's driver or node still runs),
 * then the harness's endpoint, then removes the Aeron directory. Safe to call twice.
 *
 * <p>Thread safety: used by the harness thread only.
 */
abstract class FanGroup implements AutoCloseable {
    private static final Duration LINE = Duration.ofSeconds(30);

    /** One round's outcome at the receiving end(s). */
    record Round(long sent, long received, long outOfOrder, long nanos) {
        double rate() {
            return received * 1e9 / nanos;
        }
    }

    final BenchSystem system;
    final Run run;
    final ScratchAeronDir dir = new ScratchAeronDir();
    final List<PeerProcess> peers = new ArrayList<>();

    FanGroup(BenchSystem system, Run run) {
        this.system = system;
        this.run = run;
    }

    /** The group for {@code system}, its harness endpoint started and no peer yet. */
    static FanGroup start(BenchSystem system, Run run) {
        return switch (system) {
            case TROUPE, TROUPE_LOW_LATENCY, TROUPE_EVENT_LOOP -> new OnTroupe(system, run);
            case AERON_RAW, KRYO_AERON -> new OnAeron(system, run);
            case AKKA_ARTERY -> new OnArtery(system, run);
            case TROUPE_CLUSTER -> new OnCluster(system, run);
        };
    }

    /** Starts peers until there are {@code n}, side by side, and connects the harness to each. */
    void growTo(int n) {
        int first = peers.size();
        List<PeerProcess> started = new ArrayList<>();
        for (int k = first; k < n; k++) {
            List<String> args =
                    new ArrayList<>(List.of(dir.path().toString(), Integer.toString(k)));
            args.addAll(extraPeerArgs());
            PeerProcess p = run.launchPeer(system, FanPeer.ROLE, "fan-" + k, peerOptions(k), args);
            peers.add(p); // closed by close() whatever happens next
            started.add(p);
        }
        for (PeerProcess p : started) {
            run.awaitReady(p);
        }
        for (int k = first; k < n; k++) {
            connect(k, peers.get(k));
        }
    }

    /** JVM options for peer {@code k}. */
    abstract List<String> peerOptions(int k);

    /** Arguments after {@code AERON_DIR INDEX}. */
    List<String> extraPeerArgs() {
        return List.of();
    }

    /** After peer {@code k} said READY: whatever the harness needs to send to it. */
    abstract void connect(int k, PeerProcess peer);

    /** Bytes of one data message as this system encodes it. */
    abstract int msgBytes();

    /** Starts a round of {@code n} at the harness's receiver. */
    abstract void expectHere(long n);

    /**
     * Waits until the harness's receiver has the round's messages, or {@code timeout}; returns its
     * count either way.
     */
    abstract Sink.Received awaitHere(Duration timeout);

    /** Sends message {@code seq} (sender 0) from the harness's thread to peer {@code k}. */
    abstract void sendTo(int k, long seq);

    /**
     * The first {@code senders} peers each send {@code perSender} messages to the harness's
     * receiver.
     */
    Round fanIn(int senders, long perSender) {
        long total = senders * perSender;
        expectHere(total);
        long start = System.nanoTime();
        for (int k = 0; k < senders; k++) {
            peers.get(k).send(FanPeer.SEND + " " + perSender);
        }
        Sink.Received r = awaitHere(RunSizes.oneWayTimeout(total));
        long elapsed = System.nanoTime() - start;
        for (int k = 0; k < senders; k++) {
            peers.get(k).awaitLine(FanPeer.SENT, LINE);
        }
        return new Round(total, r.received(), r.outOfOrder(), elapsed);
    }

    /**
     * The harness's thread sends {@code perReceiver} messages to each of the first {@code
     * receivers} peers, round-robin.
     */
    Round fanOut(int receivers, long perReceiver) {
        for (int k = 0; k < receivers; k++) {
            peers.get(k).send(FanPeer.EXPECT + " " + perReceiver);
        }
        for (int k = 0; k < receivers; k++) {
            peers.get(k).awaitLine(FanPeer.EXPECTING, LINE);
        }
        long start = System.nanoTime();
        for (long seq = 0; seq < perReceiver; seq++) {
            for (int k = 0; k < receivers; k++) {
                sendTo(k, seq);
            }
        }
        long received = 0;
        long outOfOrder = 0;
        Duration timeout = RunSizes.oneWayTimeout(perReceiver * receivers);
        for (int k = 0; k < receivers; k++) {
            String line;
            try {
                line = peers.get(k).awaitLine(FanPeer.RECEIVED, timeout);
            } catch (IllegalStateException e) {
                peers.get(k).send(FanPeer.REPORT);
                line = peers.get(k).awaitLine(FanPeer.RECEIVED, LINE);
            }
            String[] w = line.split(" ");
            received += Long.parseLong(w[1]);
            outOfOrder += Long.parseLong(w[2]);
        }
        long elapsed = System.nanoTime() - start;
        return new Round(perReceiver * receivers, received, outOfOrder, elapsed);
    }

    /** Dead letters at the harness's endpoint so far (Troupe's counter; 0 where there is none). */
    long deadLetters() {
        return 0;
    }

    /** Hook for the harness endpoint's own shutdown, after the peers are gone. */
    abstract void closeHarness();

    @Override
    public void close() {
        try {
            RuntimeException first = null;
            peers.forEach(PeerProcess::endInput); // all leave side by side
            for (PeerProcess p : peers) {
                try {
                    p.close();
                } catch (RuntimeException e) {
                    first = first == null ? e : first;
                }
            }
            peers.clear();
            closeHarness();
            if (first != null) {
                throw first;
            }
        } finally {
            dir.close();
        }
    }

    /**
     * A harness that is an actor system with a sink: Troupe's ({@link Sink}) or a row over Artery's
     * ({@link AckingSink}), which take the same local commands.
     */
    abstract static class OnActors extends FanGroup {
        /**
         * The harness's actor system and its sink; each set once, by the subclass's constructor.
         */
        ActorSystem<Void> actors;

        ActorRef<Object> sink;
        private boolean closed;

        OnActors(BenchSystem system, Run run) {
            super(system, run);
        }

        @Override
        void expectHere(long n) {
            Sink.expect(sink.narrow(), n, actors.scheduler());
        }

        @Override
        Sink.Received awaitHere(Duration timeout) {
            return Sink.awaitAll(sink.narrow(), timeout, actors.scheduler());
        }

        @Override
        final void closeHarness() {
            if (!closed) {
                closed = true;
                stopActors();
            }
        }

        /** Stops the actor system and what else this harness holds; called once. */
        abstract void stopActors();

        /**
         * Spawns the sink on the harness's Troupe node and publishes it as {@value Sink#NAME};
         * stops the node if that fails.
         */
        void publishSink(Behavior<Object> behavior, Props props) {
            try {
                sink = actors.systemActorOf(behavior, Sink.NAME, props);
                RemoteNode.get(actors).publish(Sink.NAME, sink, Object.class);
            } catch (RuntimeException e) {
                closeHarness();
                throw e;
            }
        }
    }

    /**
     * Troupe: the harness's node ({@link TroupeNodes#PARENT}, hosting the driver) with a published
     * {@link Sink}; peers {@code bench-b-<k>}.
     */
    static final class OnTroupe extends OnActors {
        private final List<ActorRef<Payload.Small>> targets = new ArrayList<>();

        OnTroupe(BenchSystem system, Run run) {
            super(system, run);
            actors =
                    TroupeNodes.startParent(
                            "bench-harness",
                            dir.path(),
                            system.troupeIdleStrategy(),
                            TroupeNodes.PARENT);
            publishSink(Sink.create(), system.receiverProps());
        }

        @Override
        List<String> peerOptions(int k) {
            return TroupeNodes.peerJvmOptions(
                    dir.path(), system.troupeIdleStrategy(), "bench-b-" + k);
        }

        @Override
        void connect(int k, PeerProcess peer) {
            targets.add(
                    TroupeNodes.await(
                            RemoteNode.get(actors)
                                    .lookup("bench-b-" + k, Sink.NAME, Payload.Small.class),
                            FanPeer.ASK,
                            "Looking up peer " + k + "'s sink"));
        }

        @Override
        int msgBytes() {
            return Troupe.get(actors).codec().encode(Sequenced.small(0)).length;
        }

        @Override
        void sendTo(int k, long seq) {
            targets.get(k).tell(Sequenced.small(seq));
        }

        @Override
        void stopActors() {
            TroupeNodes.stop(actors);
        }
    }

    /**
     * Akka Artery: the harness's actor system with an {@link ArterySink}; each peer's sink behind a
     * {@link ArteryRemoting.Window}.
     */
    static final class OnArtery extends OnActors {
        private final List<ArteryRemoting.Window> windows = new ArrayList<>();
        private final List<String> addresses = new ArrayList<>();

        OnArtery(BenchSystem system, Run run) {
            super(system, run);
            actors = ArteryRemoting.start("bench-artery-a");
            try {
                sink = ArteryRemoting.spawn(actors, ArterySink.create(), ArteryRemoting.SINK);
            } catch (RuntimeException e) {
                ArteryRemoting.stop(actors);
                throw e;
            }
        }

        @Override
        List<String> peerOptions(int k) {
            return List.of();
        }

        @Override
        List<String> extraPeerArgs() {
            return List.of(ArteryRemoting.address(actors).toString());
        }

        @Override
        void connect(int k, PeerProcess peer) {
            String ready = peer.readyLine();
            int at = ready == null ? -1 : ready.indexOf(" address ");
            if (at < 0) {
                throw new IllegalStateException(
                        "Peer " + peer + " said '" + ready + "' without its Artery address");
            }
            String address = ready.substring(at + " address ".length()).trim();
            addresses.add(address);
            windows.add(
                    new ArteryRemoting.Window(
                            actors,
                            ArteryRemoting.resolve(actors, address, ArteryRemoting.SINK),
                            0));
        }

        /** Peer {@code k}'s Artery address, e.g. {@code akka://bench-artery-b0@127.0.0.1:40123}. */
        String address(int k) {
            return addresses.get(k);
        }

        @Override
        int msgBytes() {
            return ArteryRemoting.serializedBytes(actors, ArteryProtocol.Small.of(0, 0));
        }

        @Override
        void sendTo(int k, long seq) {
            windows.get(k).send(ArteryProtocol.Small.of(seq, 0), FanPeer.ROUND.toNanos());
        }

        @Override
        void stopActors() {
            ArteryRemoting.stop(actors);
        }
    }

    /**
     * Troupe across machines ({@link ClusterNodes}): the harness's node in cluster mode on {@value
     * ClusterNodes#HARNESS_HOST} with the group's Aeron directory, the seed, with a published
     * {@link ClusterSink}; peer {@code k} a node on a machine of its own, with an Aeron directory
     * made here, reached through {@code ClusterRef}s behind a {@link ClusterFlow.Window} each.
     */
    static final class OnCluster extends OnActors {
        private final int port;
        private final List<ScratchAeronDir> machines = new ArrayList<>();
        private final List<ClusterFlow.Window> windows = new ArrayList<>();

        OnCluster(BenchSystem system, Run run) {
            super(system, run);
            port = ClusterNodes.freePort(ClusterNodes.HARNESS_HOST);
            actors = ClusterNodes.startHarness(dir.path(), port);
            publishSink(ClusterSink.create(), Props.empty());
        }

        @Override
        List<String> peerOptions(int k) {
            while (machines.size() <= k) {
                machines.add(new ScratchAeronDir());
            }
            return ClusterNodes.peerJvmOptions(machines.get(k).path(), k, port);
        }

        @Override
        void connect(int k, PeerProcess peer) {
            windows.add(
                    new ClusterFlow.Window(
                            actors,
                            lookup(k, Sink.NAME, Payload.Small.class),
                            lookup(k, Sink.NAME, ClusterFlow.Message.class),
                            0));
        }

        /** Peer {@code k}'s {@code name}, looked up across machines: a {@code ClusterRef}. */
        <T> ActorRef<T> lookup(int k, String name, Class<T> protocol) {
            String node = ClusterNodes.peerName(k);
            return ClusterNodes.requireClusterRef(
                    TroupeNodes.await(
                            RemoteNode.get(actors)
                                    .lookup(node, name, protocol, ClusterNodes.LOOKUP),
                            ClusterNodes.LOOKUP.plusSeconds(5),
                            "Looking up " + name + " on " + node + " across machines"),
                    name + " on " + node);
        }

        @Override
        int msgBytes() {
            return Troupe.get(actors).codec().encode(Sequenced.small(0)).length;
        }

        @Override
        void sendTo(int k, long seq) {
            windows.get(k).send(Sequenced.small(seq), FanPeer.ROUND.toNanos());
        }

        @Override
        long deadLetters() {
            return RemoteNode.get(actors).counter("dead-letters");
        }

        @Override
        void stopActors() {
            try {
                TroupeNodes.stop(actors);
            } finally {
                machines.forEach(ScratchAeronDir::close);
            }
        }
    }

    /**
     * The Aeron baselines: the harness's driver and client; one subscription all senders share, one
     * publication per receiver.
     */
    static final class OnAeron extends FanGroup {
        private final MediaDriver driver;
        private final Aeron aeron;
        private final Subscription in;
        private final List<Publication> out = new ArrayList<>();
        private final AeronBaseline.Codec codec;
        private final IdleStrategy idle = new BackoffIdleStrategy();
        private final Sequenced.OrderCheck check = new Sequenced.OrderCheck();
        private final FragmentHandler onData;
        private long expected;

        OnAeron(BenchSystem system, Run run) {
            super(system, run);
            codec = AeronBaseline.Codec.forSystem(system);
            onData =
                    (b, o, l, h) -> {
                        long tag = codec.decodeSeq(b, o, l);
                        check.accept(Sequenced.senderOf(tag), Sequenced.seqOf(tag));
                    };
            MediaDriver d = null;
            Aeron a = null;
            try {
                d = AeronBaseline.launchDriver(dir.path());
                a = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir.path().toString()));
                in = a.addSubscription(AeronBaseline.CHANNEL, AeronBaseline.FAN_IN);
            } catch (RuntimeException e) {
                CloseHelper.quietCloseAll(a, d);
                throw e;
            }
            driver = d;
            aeron = a;
        }

        @Override
        List<String> peerOptions(int k) {
            return List.of();
        }

        @Override
        void connect(int k, PeerProcess peer) {
            Publication p =
                    aeron.addPublication(AeronBaseline.CHANNEL, AeronBaseline.FAN_OUT_BASE + k);
            out.add(p);
            AeronBaseline.await(
                    p::isConnected, Duration.ofSeconds(30), "Connecting the harness to peer " + k);
        }

        @Override
        int msgBytes() {
            return codec.messageBytes();
        }

        @Override
        void expectHere(long n) {
            expected = n;
            check.reset();
        }

        @Override
        Sink.Received awaitHere(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (check.received < expected && System.nanoTime() - deadline < 0) {
                idle.idle(in.poll(onData, 256));
            }
            idle.reset();
            return new Sink.Received(check.received, check.outOfOrder);
        }

        @Override
        void sendTo(int k, long seq) {
            codec.encode(Sequenced.tag(0, seq));
            AeronBaseline.offer(
                    out.get(k), codec.out, 0, codec.outLength, idle, FanPeer.ROUND.toNanos());
        }

        @Override
        void closeHarness() {
            CloseHelper.quietCloseAll(aeron, driver);
        }
    }
}
