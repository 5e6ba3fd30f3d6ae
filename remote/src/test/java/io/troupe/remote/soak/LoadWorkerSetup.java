package io.troupe.remote.soak;

import akka.actor.typed.Props;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.WorkerSetup;
import java.nio.file.Path;

/**
 * Run by the pool in each load-mode worker JVM (every incarnation): registers the soak protocol,
 * creates this incarnation's two {@link LoadLedger}s in {@code -Dtroupe.soak.dir}, starts the
 * {@link LoadReceiver} (published as {@value LoadSender#RECEIVER_NAME}) and the {@link LoadSender}
 * at {@code -Dtroupe.soak.load.node-rate} messages per second.
 *
 * <p>Thread safety: {@link #setUp} runs once, on the worker's main thread.
 */
public final class LoadWorkerSetup implements WorkerSetup {
    static final String DIR_PROPERTY = SoakWorkerSetup.DIR_PROPERTY;
    static final String RATE_PROPERTY = "troupe.soak.load.node-rate";

    @Override
    public void setUp(RemoteNode node) {
        String dir = System.getProperty(DIR_PROPERTY);
        String rate = System.getProperty(RATE_PROPERTY);
        if (dir == null || rate == null) {
            throw new IllegalStateException(
                    "a load-mode soak worker needs -D"
                            + DIR_PROPERTY
                            + "=<the test's ledger directory> and -D"
                            + RATE_PROPERTY
                            + "=<msgs/s>; got "
                            + dir
                            + " and "
                            + rate);
        }
        start(node, Path.of(dir), Long.parseLong(rate));
    }

    /** Starts this process's receiver and sender (also used by the test JVM for its own node). */
    static void start(RemoteNode node, Path dir, long ratePerSecond) {
        node.register(SoakProtocol.Message.class);
        long me = node.incarnation();
        LoadLedger received = LoadLedger.create(dir, node.name(), me, LoadLedger.Role.RECEIVER);
        LoadLedger sent = LoadLedger.create(dir, node.name(), me, LoadLedger.Role.SENDER);
        node.publish(
                LoadSender.RECEIVER_NAME,
                node.system()
                        .systemActorOf(
                                LoadReceiver.create(received, me), "soak-load-rx", Props.empty()),
                Object.class);
        node.system()
                .systemActorOf(
                        LoadSender.create(node, sent, dir.resolve("control"), ratePerSecond),
                        "soak-load-tx",
                        Props.empty());
    }
}
