package io.troupe.benchmarks.scenarios;

import akka.actor.typed.Props;
import io.troupe.remote.RemoteNode;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The systems every cross-process scenario runs against, in the order they are printed. Troupe
 * twice (its two idle strategies), two baselines on the same Aeron setup Troupe uses (an IPC log of
 * 1 MiB terms, a media driver with one shared thread embedded in the first process, and Agrona's
 * {@code BackoffIdleStrategy} wherever a thread waits), Akka's own remoting, and Troupe across
 * machines over that same remoting.
 *
 * <p>Thread safety: immutable.
 */
enum BenchSystem {
    /** Real Troupe nodes and actors, {@code troupe.remote.idle-strategy=backoff} (the default). */
    TROUPE(
            "troupe",
            "backoff (20 spins, yields for 200 us after the last work, then parks of 1 us doubling to 1 ms) in both nodes and the driver"),
    /**
     * The same with {@code troupe.remote.idle-strategy=low-latency} in both processes (the driver
     * still backs off).
     */
    TROUPE_LOW_LATENCY(
            "troupe-low-latency",
            "low-latency (spin 2,000 times, then yield, never park) in both nodes; the driver backs off"),
    /**
     * The same as {@code troupe}, with the receiving actors (sink, echo) on the event-loop
     * dispatcher ({@code RemoteNode.eventLoopDispatcher()}): they run on their node's transport
     * thread.
     */
    TROUPE_EVENT_LOOP(
            "troupe-event-loop",
            "backoff, as troupe; the receiving actors run on RemoteNode.eventLoopDispatcher()"),
    /** Raw Aeron IPC, bytes only: one publication and one subscription per direction. */
    AERON_RAW("aeron-raw", "BackoffIdleStrategy in both processes and the driver"),
    /**
     * Naive Kryo ({@code new Kryo()}, records registered, reflective serializer) over the same raw
     * Aeron setup.
     */
    KRYO_AERON("kryo-aeron", "BackoffIdleStrategy in both processes and the driver"),
    /**
     * Akka 2.6.21's own remoting: Artery TCP on 127.0.0.1, messages on Akka's {@code jackson-cbor}
     * serializer, a send window with batched acks so that Artery drops nothing ({@link
     * ArteryRemoting}).
     */
    AKKA_ARTERY(
            "akka-artery",
            "Akka's defaults (default fork-join dispatcher, Artery TCP's own threads); a sender waiting for"
                    + " acks backs off (BackoffIdleStrategy)"),
    /**
     * Troupe across machines: two Troupe nodes in cluster mode on two "machines" of this host
     * (127.0.0.2 with the harness's Aeron directory, 127.0.0.3 with the peer's), so that the refs
     * are {@code ClusterRef}s and every message is encoded by Troupe's codec and carried by Artery
     * TCP, like {@code akka-artery}'s, with the same send window ({@link ClusterNodes}).
     */
    TROUPE_CLUSTER(
            "troupe-cluster",
            "Akka's defaults for Artery TCP and the gateway actor (default fork-join dispatcher); Troupe's"
                    + " backoff in both nodes' transport and driver (idle: nothing crosses Aeron); a sender"
                    + " waiting for acks backs off (BackoffIdleStrategy)");

    private final String label;
    private final String idleStrategy;

    BenchSystem(String label, String idleStrategy) {
        this.label = label;
        this.idleStrategy = idleStrategy;
    }

    String label() {
        return label;
    }

    String idleStrategy() {
        return idleStrategy;
    }

    boolean isTroupe() {
        return this == TROUPE || this == TROUPE_LOW_LATENCY || this == TROUPE_EVENT_LOOP;
    }

    /**
     * One of Troupe's optional rows (low-latency, event-loop, cluster), beside plain {@code
     * troupe}: quick runs leave out their fan-in and fan-out ({@link RunSizes#fanLowLatency}).
     */
    boolean isTroupeVariant() {
        return this == TROUPE_LOW_LATENCY || this == TROUPE_EVENT_LOOP || this == TROUPE_CLUSTER;
    }

    /** How a Troupe system spawns its receiving actors (sink, echo). */
    Props receiverProps() {
        return this == TROUPE_EVENT_LOOP ? RemoteNode.eventLoopDispatcher() : Props.empty();
    }

    /** Akka's own remoting ({@code akka-artery}). */
    boolean isArtery() {
        return this == AKKA_ARTERY;
    }

    /**
     * Its messages cross processes over Artery TCP ({@code akka-artery}, {@code troupe-cluster}):
     * it runs on a {@link FanGroup} and gets {@link RunSizes#arteryDivisor} times fewer messages.
     */
    boolean overArtery() {
        return this == AKKA_ARTERY || this == TROUPE_CLUSTER;
    }

    /** The {@code troupe.remote.idle-strategy} value for a Troupe system. */
    String troupeIdleStrategy() {
        return this == TROUPE_LOW_LATENCY ? "low-latency" : "backoff";
    }

    static BenchSystem fromLabel(String label) {
        return Arrays.stream(values())
                .filter(s -> s.label.equals(label))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "Unknown system '"
                                                + label
                                                + "': choose from "
                                                + Arrays.stream(values())
                                                        .map(BenchSystem::label)
                                                        .collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return label;
    }
}
