package io.troupe.benchmarks.scenarios;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import io.troupe.remote.RemoteNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The main class of a scenario's second process ({@link PeerProcess} starts it):
 *
 * <pre>  PeerMain SYSTEM ROLE AERON_DIR</pre>
 *
 * with {@code SYSTEM} one of {@link BenchSystem}'s labels and {@code ROLE} {@code sink} (count and
 * check one-way messages) or {@code echo} (answer each message), or
 *
 * <pre>  PeerMain SYSTEM fan AERON_DIR INDEX [HARNESS_ARTERY_ADDRESS]</pre>
 *
 * for one of several peers driven by commands on stdin ({@link FanPeer}; every {@code akka-artery}
 * and {@code troupe-cluster} peer is one; a {@code troupe-cluster} peer takes its node and cluster
 * settings from {@code -D} too, {@link ClusterNodes#peerJvmOptions}). A Troupe peer takes its node
 * settings from {@code -Dtroupe.remote.*} ({@link TroupeNodes#peerJvmOptions}), publishes a {@link
 * Sink} or an {@link Echo} and serves with its actors; a baseline peer attaches to the harness's
 * driver in {@code AERON_DIR} and serves on its main thread ({@link AeronBaseline.Peer}).
 *
 * <p>It prints {@code PEER READY} once the harness may start, and leaves when its stdin ends (the
 * harness closed it, or died).
 *
 * <p>Thread safety: a main class; not for use as a library.
 */
public final class PeerMain {
    static final String LINE_PREFIX = "PEER ";
    static final String READY = "READY";

    private PeerMain() {}

    public static void main(String[] args) throws Exception {
        boolean fan = args.length >= 4 && args.length <= 5 && args[1].equals(FanPeer.ROLE);
        if (!fan && (args.length != 3 || !(args[1].equals("sink") || args[1].equals("echo")))) {
            System.err.println(
                    "usage: PeerMain SYSTEM sink|echo AERON_DIR\n   or: PeerMain SYSTEM fan AERON_DIR INDEX [HARNESS_ARTERY_ADDRESS]");
            System.exit(2);
        }
        TimerSlack.applyProperty(); // first: every thread started from here on inherits it
        BenchSystem system = BenchSystem.fromLabel(args[0]);
        boolean sink = args[1].equals("sink");
        int status = 0;
        try {
            if (fan) {
                serveFan(
                        system,
                        Path.of(args[2]),
                        Integer.parseInt(args[3]),
                        args.length == 5 ? args[4] : null);
            } else if (system.isTroupe()) {
                serveTroupe(system, sink);
            } else {
                serveBaseline(system, sink, Path.of(args[2]));
            }
        } catch (Throwable t) {
            System.out.println(LINE_PREFIX + "FAILED " + t);
            t.printStackTrace(System.out);
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    private static void serveTroupe(BenchSystem bench, boolean sink) throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench-peer");
        try {
            RemoteNode node = RemoteNode.get(system);
            TroupeNodes.registerProtocols(node);
            if (sink) {
                ActorRef<Object> ref =
                        system.systemActorOf(Sink.create(), Sink.NAME, bench.receiverProps());
                node.publish(Sink.NAME, ref, Object.class);
            } else {
                node.publish(
                        Echo.NAME,
                        system.systemActorOf(Echo.create(), Echo.NAME, bench.receiverProps()),
                        Echo.Command.class);
            }
            ready();
            CountDownLatch end = new CountDownLatch(1);
            watchStdin(end::countDown);
            end.await();
        } finally {
            TroupeNodes.stop(system);
        }
    }

    private static void serveBaseline(BenchSystem system, boolean sink, Path dir) {
        try (AeronBaseline.Peer peer =
                new AeronBaseline.Peer(dir, AeronBaseline.Codec.forSystem(system))) {
            AtomicBoolean stop = new AtomicBoolean();
            watchStdin(() -> stop.set(true));
            ready();
            if (sink) {
                peer.serveSink(stop::get);
            } else {
                peer.serveEcho(stop::get);
            }
        }
    }

    private static void serveFan(BenchSystem system, Path dir, int index, String harnessArtery)
            throws Exception {
        try (FanPeer peer = FanPeer.create(system, dir, index, harnessArtery)) {
            ready(peer.readyInfo());
            peer.serve();
        }
    }

    private static void ready() {
        ready("");
    }

    private static void ready(String info) {
        System.out.println(LINE_PREFIX + READY + " pid " + ProcessHandle.current().pid() + info);
        System.out.flush();
    }

    /** Runs {@code onEnd} when stdin ends: the harness closed it or is gone. */
    private static void watchStdin(Runnable onEnd) {
        Thread t =
                new Thread(
                        () -> {
                            try {
                                InputStream in = System.in;
                                byte[] buf = new byte[256];
                                while (in.read(buf) >= 0) {
                                    // nothing is read but the end
                                }
                            } catch (IOException e) {
                                // treated as the end
                            }
                            onEnd.run();
                        },
                        "peer-stdin");
        t.setDaemon(true);
        t.start();
    }
}
