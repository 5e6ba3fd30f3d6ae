package io.troupe.benchmarks.scenarios;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What every scenario of one harness invocation shares: the sizes, the extra JVM flags for the peer
 * processes (e.g. a JFR recording), and where progress lines go.
 *
 * <p>Thread safety: immutable; {@link #progress} writes to the shared writer from the harness
 * thread.
 *
 * @param peerJvmArgs extra flags for every peer JVM (not for pool workers, which take the pool's
 *     options)
 * @param echoPeers copy the peers' output to stderr
 */
record Run(RunSizes sizes, List<String> peerJvmArgs, boolean echoPeers, PrintWriter log) {
    static final Duration PEER_READY = Duration.ofSeconds(60);

    Run {
        peerJvmArgs = List.copyOf(peerJvmArgs);
    }

    void progress(String format, Object... args) {
        log.println(String.format(Locale.ROOT, "  .. " + format, args));
        log.flush();
    }

    /**
     * Starts a peer with {@code nodeOptions} and this run's extra flags, and waits until it is
     * ready.
     */
    PeerProcess startPeer(
            BenchSystem system, String role, List<String> nodeOptions, Path aeronDir) {
        return awaitReady(
                launchPeer(system, role, role, nodeOptions, List.of(aeronDir.toString())));
    }

    /**
     * Starts {@code PeerMain <system> <role> <args>} with {@code nodeOptions} and this run's extra
     * flags, without waiting: start several, then {@link #awaitReady} each, so their JVMs start
     * side by side.
     */
    PeerProcess launchPeer(
            BenchSystem system,
            String role,
            String name,
            List<String> nodeOptions,
            List<String> args) {
        List<String> options = new ArrayList<>(nodeOptions);
        options.addAll(peerJvmArgs);
        List<String> all = new ArrayList<>(List.of(system.label(), role));
        all.addAll(args);
        return PeerProcess.start(system.label() + "-" + name, options, all, echoPeers);
    }

    /**
     * Waits for the peer's {@link PeerMain#READY} line (see {@link PeerProcess#readyLine}); closes
     * the peer if it never comes.
     */
    PeerProcess awaitReady(PeerProcess peer) {
        try {
            peer.awaitLine(PeerMain.READY, PEER_READY);
            return peer;
        } catch (RuntimeException e) {
            peer.close();
            throw e;
        }
    }
}
