package io.troupe.benchmarks.scenarios;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.troupe.benchmarks.jmh.Payload;
import io.troupe.remote.RemoteNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * One of the several peer processes of {@link FanIn} and {@link FanOut} (and the only one of the
 * one-to-one scenarios of {@code akka-artery} and {@code troupe-cluster}), on any {@link
 * BenchSystem}: it can both send to the harness's receiver and receive from the harness. Started as
 *
 * <pre>  PeerMain SYSTEM fan AERON_DIR INDEX [HARNESS_ARTERY_ADDRESS]</pre>
 *
 * it is driven by lines on its stdin, and answers on stdout ({@link PeerMain#LINE_PREFIX}):
 *
 * <ul>
 *   <li>{@code SEND n}: sends messages 0..n-1, tagged with its INDEX as the sender, to the
 *       harness's receiver; answers {@code SENT n} when the last was handed over.
 *   <li>{@code EXPECT n}: starts a round of n messages at its own receiver; answers {@code
 *       EXPECTING n}, later {@code RECEIVED received outOfOrder} when all n arrived.
 *   <li>{@code REPORT}: answers {@code RECEIVED received outOfOrder} at once.
 * </ul>
 *
 * The lines travel only between measurements, except the harness's {@code SEND} (which starts a
 * fan-in round) and the peer's {@code RECEIVED} (which ends a fan-out round): a pipe's write and
 * wake-up, tens of microseconds, against rounds of tens of milliseconds or more.
 *
 * <p>Thread safety: {@link #serve} runs on the peer's main thread.
 */
abstract class FanPeer implements AutoCloseable {
    static final String ROLE = "fan";
    static final String SEND = "SEND";
    static final String SENT = "SENT";
    static final String EXPECT = "EXPECT";
    static final String EXPECTING = "EXPECTING";
    static final String REPORT = "REPORT";
    static final String RECEIVED = "RECEIVED";

    /** A fan-out round waits this long for its last message at a receiver. */
    static final Duration ROUND = Duration.ofMinutes(5);

    static final Duration ASK = Duration.ofSeconds(10);

    final int index;

    FanPeer(int index) {
        this.index = index;
    }

    static FanPeer create(BenchSystem system, Path aeronDir, int index, String harnessArtery) {
        return switch (system) {
            case TROUPE, TROUPE_LOW_LATENCY, TROUPE_EVENT_LOOP -> new OnTroupe(system, index);
            case AERON_RAW, KRYO_AERON -> new OnAeron(system, aeronDir, index);
            case AKKA_ARTERY -> new OnArtery(index, harnessArtery);
            case TROUPE_CLUSTER -> new OnCluster(index);
        };
    }

    /** Appended to the READY line (an Artery peer's address). */
    String readyInfo() {
        return "";
    }

    /** Reads commands until stdin ends. */
    void serve() throws Exception {
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            command(line.trim());
        }
    }

    void command(String line) throws Exception {
        String[] w = line.split(" ");
        switch (w[0]) {
            case SEND -> {
                long n = Long.parseLong(w[1]);
                send(n);
                answer(SENT + " " + n);
            }
            case EXPECT -> expect(Long.parseLong(w[1]));
            case REPORT -> report();
            case "" -> {}
            default -> throw new IllegalArgumentException("Unknown command '" + line + "'");
        }
    }

    /** Sends messages 0..n-1 to the harness's receiver. */
    abstract void send(long n) throws Exception;

    /**
     * Starts a round of n at this peer's receiver; answers EXPECTING, and RECEIVED once all
     * arrived.
     */
    abstract void expect(long n) throws Exception;

    /** Answers RECEIVED with the current count. */
    abstract void report() throws Exception;

    static void answer(String line) {
        System.out.println(PeerMain.LINE_PREFIX + line);
        System.out.flush();
    }

    static void answerReceived(Sink.Received r) {
        answer(RECEIVED + " " + r.received() + " " + r.outOfOrder());
    }

    /**
     * A Troupe node ({@code bench-b-<index>}) with a {@link Sink}; sends to the harness node's
     * sink.
     */
    static final class OnTroupe extends OnActors {
        private final ActorRef<Payload.Small> target;

        OnTroupe(BenchSystem bench, int index) {
            super(index, ActorSystem.create(Behaviors.empty(), "bench-peer"));
            try {
                RemoteNode node = RemoteNode.get(system);
                TroupeNodes.registerProtocols(node);
                sink = system.systemActorOf(Sink.create(), Sink.NAME, bench.receiverProps());
                node.publish(Sink.NAME, sink, Object.class);
                target =
                        TroupeNodes.await(
                                node.lookup(TroupeNodes.PARENT, Sink.NAME, Payload.Small.class),
                                ASK,
                                "Looking up the harness's sink");
            } catch (RuntimeException e) {
                TroupeNodes.stop(system);
                throw e;
            }
        }

        @Override
        void send(long n) {
            for (long seq = 0; seq < n; seq++) {
                target.tell(Sequenced.small(seq, index));
            }
        }

        @Override
        public void close() {
            TroupeNodes.stop(system);
        }
    }

    /**
     * Troupe across machines ({@link ClusterNodes}): a node in cluster mode ({@code
     * bench-b-<index>} on its own loopback address and Aeron directory, from its {@code -D}
     * settings) with a {@link ClusterSink} and an {@link Echo}; sends to the harness's sink, looked
     * up across machines, through a {@link ClusterFlow.Window}. It says READY once it has found the
     * harness's sink: it has joined the cluster.
     */
    static final class OnCluster extends OnActors {
        private final ClusterFlow.Window window;

        OnCluster(int index) {
            super(index, ClusterNodes.startPeer());
            try {
                RemoteNode node = RemoteNode.get(system);
                sink = system.systemActorOf(ClusterSink.create(), Sink.NAME, Props.empty());
                node.publish(Sink.NAME, sink, Object.class);
                node.publish(
                        Echo.NAME,
                        system.systemActorOf(Echo.create(), Echo.NAME, Props.empty()),
                        Echo.Command.class);
                window =
                        new ClusterFlow.Window(
                                system,
                                lookupHarness(node, Payload.Small.class),
                                lookupHarness(node, ClusterFlow.Message.class),
                                index);
            } catch (RuntimeException e) {
                TroupeNodes.stop(system);
                throw e;
            }
        }

        private static <T> ActorRef<T> lookupHarness(RemoteNode node, Class<T> protocol) {
            return ClusterNodes.requireClusterRef(
                    TroupeNodes.await(
                            node.lookup(
                                    TroupeNodes.PARENT, Sink.NAME, protocol, ClusterNodes.LOOKUP),
                            ClusterNodes.LOOKUP.plusSeconds(5),
                            "Looking up the harness's sink across machines"),
                    "the harness's sink");
        }

        @Override
        String readyInfo() {
            return " cluster " + system.address();
        }

        @Override
        void send(long n) {
            long timeout = ROUND.toNanos();
            for (long seq = 0; seq < n; seq++) {
                window.send(Sequenced.small(seq, index), timeout);
            }
        }

        @Override
        public void close() {
            TroupeNodes.stop(system);
        }
    }

    /**
     * A peer that is an actor system with a sink: Troupe's ({@link Sink}) or a row over Artery's
     * ({@link AckingSink}), which take the same local commands.
     */
    abstract static class OnActors extends FanPeer {
        final ActorSystem<Void> system;

        /** This peer's sink; set once, by the subclass's constructor. */
        ActorRef<Object> sink;

        OnActors(int index, ActorSystem<Void> system) {
            super(index);
            this.system = system;
        }

        /** Resets the sink for {@code n} messages, then answers when they have all arrived. */
        @Override
        void expect(long n) {
            TroupeNodes.await(
                    AskPattern.ask(
                            sink,
                            (ActorRef<Sink.Expecting> r) -> new Sink.Expect(n, r),
                            ASK,
                            system.scheduler()),
                    ASK,
                    "The sink's answer to Expect");
            answer(EXPECTING + " " + n);
            AskPattern.ask(sink, Sink.AwaitAll::new, ROUND, system.scheduler())
                    .whenComplete(
                            (r, e) -> {
                                if (r != null) {
                                    answerReceived(r);
                                } // else the harness asks with REPORT
                            });
        }

        @Override
        void report() {
            answerReceived(
                    TroupeNodes.await(
                            AskPattern.ask(sink, Sink.Report::new, ASK, system.scheduler()),
                            ASK,
                            "The sink's report"));
        }
    }

    /**
     * An Artery actor system with an {@link ArterySink} and an echo; sends to the harness's sink
     * through a window.
     */
    static final class OnArtery extends OnActors {
        private final String harness;
        private ArteryRemoting.Window window;

        OnArtery(int index, String harness) {
            super(index, ArteryRemoting.start("bench-artery-b" + index));
            this.harness = harness;
            try {
                sink = ArteryRemoting.spawn(system, ArterySink.create(), ArteryRemoting.SINK);
                ArteryRemoting.spawn(system, ArterySink.echo(), ArteryRemoting.ECHO);
                if (harness != null && !harness.isEmpty()) {
                    window =
                            new ArteryRemoting.Window(
                                    system,
                                    ArteryRemoting.resolve(system, harness, ArteryRemoting.SINK),
                                    index);
                }
            } catch (RuntimeException e) {
                ArteryRemoting.stop(system);
                throw e;
            }
        }

        @Override
        String readyInfo() {
            return " address " + ArteryRemoting.address(system);
        }

        @Override
        void send(long n) {
            if (window == null) {
                throw new IllegalStateException(
                        "Peer "
                                + index
                                + " was started without the harness's Artery address: it cannot send");
            }
            long timeout = ROUND.toNanos();
            for (long seq = 0; seq < n; seq++) {
                window.send(ArteryProtocol.Small.of(seq, index), timeout);
            }
        }

        @Override
        public void close() {
            ArteryRemoting.stop(system);
        }
    }

    /**
     * A raw Aeron client on the harness's driver: publishes to {@link AeronBaseline#FAN_IN} (shared
     * by all senders), receives on {@code FAN_OUT_BASE + index}, on its main thread; stdin is read
     * by another thread and handed over through a queue, so the main thread keeps polling.
     */
    static final class OnAeron extends FanPeer {
        private final Aeron aeron;
        private final Publication out;
        private final Subscription in;
        private final AeronBaseline.Codec codec;
        private final IdleStrategy idle = new BackoffIdleStrategy();
        private final Sequenced.OrderCheck check = new Sequenced.OrderCheck();
        private final ConcurrentLinkedQueue<String> commands = new ConcurrentLinkedQueue<>();
        private volatile boolean ended;
        private long expected = -1;

        OnAeron(BenchSystem system, Path dir, int index) {
            super(index);
            codec = AeronBaseline.Codec.forSystem(system);
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir.toString()));
            out = aeron.addPublication(AeronBaseline.CHANNEL, AeronBaseline.FAN_IN);
            in = aeron.addSubscription(AeronBaseline.CHANNEL, AeronBaseline.FAN_OUT_BASE + index);
            AeronBaseline.await(
                    out::isConnected,
                    Duration.ofSeconds(30),
                    "Connecting peer " + index + "'s publication to the harness");
        }

        @Override
        void serve() throws Exception {
            Thread reader =
                    new Thread(
                            () -> {
                                try (BufferedReader r =
                                        new BufferedReader(
                                                new InputStreamReader(
                                                        System.in, StandardCharsets.UTF_8))) {
                                    String line;
                                    while ((line = r.readLine()) != null) {
                                        commands.add(line.trim());
                                    }
                                } catch (IOException e) {
                                    // treated as the end
                                }
                                ended = true;
                            },
                            "peer-stdin");
            reader.setDaemon(true);
            reader.start();
            FragmentHandler onData =
                    (b, o, l, h) -> {
                        long tag = codec.decodeSeq(b, o, l);
                        check.accept(Sequenced.senderOf(tag), Sequenced.seqOf(tag));
                        if (check.received == expected) {
                            answerReceived(new Sink.Received(check.received, check.outOfOrder));
                        }
                    };
            while (true) {
                int work = in.poll(onData, 256);
                String c = commands.poll();
                if (c != null) {
                    command(c);
                    work++;
                } else if (ended) {
                    return;
                }
                idle.idle(work);
            }
        }

        @Override
        void send(long n) {
            long timeout = ROUND.toNanos();
            IdleStrategy offerIdle = new BackoffIdleStrategy();
            for (long seq = 0; seq < n; seq++) {
                codec.encode(Sequenced.tag(index, seq));
                AeronBaseline.offer(out, codec.out, 0, codec.outLength, offerIdle, timeout);
            }
        }

        @Override
        void expect(long n) {
            expected = n;
            check.reset();
            answer(EXPECTING + " " + n);
        }

        @Override
        void report() {
            answerReceived(new Sink.Received(check.received, check.outOfOrder));
        }

        @Override
        public void close() {
            CloseHelper.quietClose(aeron);
        }
    }
}
