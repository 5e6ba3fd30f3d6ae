package io.troupe.remote.soak;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Props;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.WorkerSetup;
import java.nio.file.Path;

/**
 * Run by the pool in each soak worker JVM (every incarnation): registers the soak protocol, creates
 * this incarnation's {@link Ledger} in {@code -Dtroupe.soak.dir}, starts the {@link TrafficActor}
 * and publishes it as {@value TrafficActor#PUBLISHED_NAME}.
 *
 * <p>Thread safety: {@link #setUp} runs once, on the worker's main thread.
 */
public final class SoakWorkerSetup implements WorkerSetup {
    static final String DIR_PROPERTY = "troupe.soak.dir";
    static final String SEED_PROPERTY = "troupe.soak.seed";

    @Override
    public void setUp(RemoteNode node) {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null) {
            throw new IllegalStateException(
                    "a soak worker needs -D" + DIR_PROPERTY + "=<the test's ledger directory>");
        }
        start(node, Path.of(dir), Long.getLong(SEED_PROPERTY, 1L) ^ ProcessHandle.current().pid());
    }

    /** Starts this process's traffic actor (also used by the test JVM for its own node). */
    static ActorRef<Object> start(RemoteNode node, Path dir, long seed) {
        node.register(SoakProtocol.Message.class);
        Ledger ledger = Ledger.create(dir, node.name(), node.incarnation());
        ActorRef<Object> traffic =
                node.system()
                        .systemActorOf(
                                TrafficActor.create(node, ledger, dir.resolve("control"), seed),
                                "soak-traffic",
                                Props.empty());
        node.publish(TrafficActor.PUBLISHED_NAME, traffic, Object.class);
        return traffic;
    }
}
