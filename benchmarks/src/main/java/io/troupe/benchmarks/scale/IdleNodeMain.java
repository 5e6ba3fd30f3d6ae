package io.troupe.benchmarks.scale;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.remote.RemoteNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The main class of a {@link MemoryFootprint} child (started as a {@code PeerProcess}):
 *
 * <pre>  IdleNodeMain troupe AERON_DIR NODE_NAME PEERS
 *  IdleNodeMain akka</pre>
 *
 * {@code troupe} starts an actor system and its Troupe node (cluster {@value #CLUSTER}, Aeron
 * directory {@code AERON_DIR}, the default attach-or-launch driver mode) and waits until {@code
 * PEERS} other nodes are up; {@code akka} starts a bare Akka actor system, no remoting (the floor).
 * Then it answers {@code READY pid <pid> host <true|false>} and serves its stdin: {@code gc} runs
 * two full collections and answers {@code GC}; the end of stdin stops the actor system and exits;
 * {@code peers N} (troupe only) waits until {@code N} other nodes are up and answers {@code PEERS
 * <n>}. Nothing else runs: no actor is spawned, no message sent.
 *
 * <p>Thread safety: a main class; not for use as a library.
 */
public final class IdleNodeMain {
    /** Output lines that start with this are answers to the harness; the rest is log. */
    static final String LINE_PREFIX = "SCALE ";

    static final String CLUSTER = "scale";
    static final String READY = "READY";
    static final String GC = "GC";
    static final String PEERS = "PEERS";
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SHUTDOWN = Duration.ofSeconds(30);

    private IdleNodeMain() {}

    public static void main(String[] args) throws Exception {
        boolean troupe = args.length == 4 && args[0].equals("troupe");
        if (!troupe && !(args.length == 1 && args[0].equals("akka"))) {
            System.err.println(
                    "usage: IdleNodeMain troupe AERON_DIR NODE_NAME PEERS | IdleNodeMain akka; was "
                            + String.join(" ", args));
            System.exit(2);
        }
        int status = 0;
        ActorSystem<Void> system = null;
        RemoteNode node = null;
        try {
            if (troupe) {
                Config config =
                        ConfigFactory.parseMap(
                                        Map.of(
                                                "troupe.remote.cluster-name", CLUSTER,
                                                "troupe.remote.aeron-dir", args[1],
                                                "troupe.remote.node-name", args[2]),
                                        "scale idle node")
                                .withFallback(ConfigFactory.load());
                system = ActorSystem.create(Behaviors.empty(), "idle-node", config);
                node = RemoteNode.get(system);
                awaitPeers(node, Integer.parseInt(args[3]));
                answer(
                        READY
                                + " pid "
                                + ProcessHandle.current().pid()
                                + " host "
                                + node.hostsDriver());
            } else {
                system = ActorSystem.create(Behaviors.empty(), "idle-akka");
                answer(READY + " pid " + ProcessHandle.current().pid() + " host false");
            }
            serveStdin(node);
        } catch (Throwable t) {
            answer("FAILED " + t);
            t.printStackTrace(System.out);
            status = 1;
        } finally {
            if (system != null) {
                system.terminate();
                system.getWhenTerminated()
                        .toCompletableFuture()
                        .get(SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        System.out.flush();
        System.exit(status);
    }

    private static void awaitPeers(RemoteNode node, int peers) {
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        while (node.members().size() < peers) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(
                        "Node "
                                + node.name()
                                + " saw "
                                + node.members().size()
                                + " of "
                                + peers
                                + " peers within "
                                + JOIN_TIMEOUT.toSeconds()
                                + " s: "
                                + node.members());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static void serveStdin(RemoteNode node) throws IOException {
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("gc")) {
                // Twice: the first full collection may leave finalizable and soft garbage for the
                // next.
                System.gc();
                System.gc();
                answer(GC);
            } else if (line.startsWith("peers ") && node != null) {
                int peers = Integer.parseInt(line.substring("peers ".length()).trim());
                awaitPeers(node, peers);
                answer(PEERS + " " + node.members().size());
            } else {
                answer("FAILED unknown command '" + line + "' (expected 'gc' or 'peers N')");
            }
        }
    }

    private static void answer(String line) {
        System.out.println(LINE_PREFIX + line);
        System.out.flush();
    }
}
