package io.troupe.remote.internal;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.core.TroupeConfig;
import io.troupe.remote.MembershipEvent;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.RemoteSettings;
import io.troupe.remote.WorkerSetup;
import io.troupe.remote.driver.MediaDrivers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main class of a {@link io.troupe.remote.ProcessPool} worker JVM. Started by the pool with the
 * cluster's {@code -Dtroupe.remote.*} settings and:
 *
 * <pre>  --parent-pid PID --parent-node NAME [--setup CLASS]</pre>
 *
 * It joins the cluster, runs the setup, prints {@value #READY} and serves until its parent goes
 * away. It exits, without orphans, when: its stdin closes (the parent closed it, or died: the
 * kernel closes the pipe even on SIGKILL), its parent's process exits, its parent's node leaves or
 * goes down, or it loses the media driver.
 *
 * <p>Its stdout is the handshake with the pool: the {@value #READY} line, nothing else; what it has
 * to say otherwise it logs through SLF4J (the pool keeps the last lines of its output for error
 * messages, so with a console appender a failure's reason reaches the parent).
 *
 * <p>Thread safety: a main class; not for use as a library.
 */
public final class WorkerMain {
    public static final String READY = "TROUPE-WORKER-READY";

    private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);

    /**
     * The exit status of a worker whose node the cluster declared down (e.g. after a stall longer
     * than the heartbeat timeout): a failure, so that the pool's restart policy applies.
     */
    public static final int EXIT_EVICTED = 4;

    private WorkerMain() {}

    /**
     * Loads what a worker loads on its way to joined, for the class archive written at exit: an
     * actor system, a node (here hosting a driver of its own, in a cluster named after this
     * process) and a membership subscriber. Returns the exit status.
     */
    private static int train() {
        String cluster = "troupe-archive-training-" + ProcessHandle.current().pid();
        Config config =
                TroupeConfig.load(
                        ConfigFactory.parseMap(
                                Map.of(
                                        "troupe.remote.cluster-name",
                                        cluster,
                                        "troupe.remote.node-name",
                                        "training"),
                                "worker archive training"));
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "troupe-worker", config);
        try {
            RemoteNode node = RemoteNode.get(system);
            node.subscribe(
                    system.systemActorOf(
                            Behaviors.receive(MembershipEvent.class).build(),
                            "troupe-worker-parent-watch",
                            Props.empty()));
            node.leave();
            return 0;
        } catch (RuntimeException e) {
            LOG.error("worker archive training failed: {}", e.toString(), e);
            return 1;
        } finally {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("the training actor system did not terminate: {}", e.toString());
            }
        }
    }

    /**
     * The argument that makes this a training run for {@link WorkerArchive}: start an actor system
     * and a node the way a worker does, in a cluster of its own, then leave and exit.
     */
    static final String TRAIN = "--train";

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals(TRAIN)) {
            System.exit(train());
        }
        long parentPid = -1;
        String parentNode = null;
        String setup = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--parent-pid" -> parentPid = Long.parseLong(args[i + 1]);
                case "--parent-node" -> parentNode = args[i + 1];
                case "--setup" -> setup = args[i + 1];
                default -> throw new IllegalArgumentException("unknown worker option " + args[i]);
            }
        }
        // TroupeConfig: a pool of a node that is also an Akka Cluster member (troupe.cluster) has
        // members as workers, whose actor systems must be named after the cluster to join it.
        Config config = TroupeConfig.load();
        ActorSystem<Void> system =
                ActorSystem.create(
                        Behaviors.empty(),
                        config.getBoolean("troupe.cluster.enabled")
                                ? config.getString("troupe.remote.cluster-name")
                                : "troupe-worker",
                        config);
        RemoteSettings settings = RemoteSettings.fromConfig(system.settings().config());
        CountDownLatch stop = new CountDownLatch(1);
        AtomicBoolean parentGone = new AtomicBoolean();
        AtomicBoolean evicted = new AtomicBoolean();
        int status = 0;
        try {
            RemoteNode node = RemoteNode.get(system);
            if (setup != null) {
                WorkerSetup s = (WorkerSetup) Class.forName(setup).getConstructor().newInstance();
                s.setUp(node);
            }
            String parent = parentNode;
            node.subscribe(
                    system.systemActorOf(
                            Behaviors.receive(MembershipEvent.class)
                                    .onMessage(
                                            MembershipEvent.NodeDown.class,
                                            down -> {
                                                boolean self =
                                                        down.member().name().equals(node.name());
                                                if (self
                                                        || down.member().name().equals(parent)
                                                        || down.reason()
                                                                == MembershipEvent.Reason
                                                                        .DRIVER_LOST) {
                                                    LOG.info(
                                                            "worker {}: {} is down ({}), exiting",
                                                            node.name(),
                                                            down.member().name(),
                                                            down.detail());
                                                    parentGone.set(!self);
                                                    evicted.set(self);
                                                    stop.countDown();
                                                }
                                                return Behaviors.same();
                                            })
                                    .build(),
                            "troupe-worker-parent-watch",
                            Props.empty()));
            if (parentPid > 0) {
                Runnable gone =
                        () -> {
                            parentGone.set(true);
                            stop.countDown();
                        };
                ProcessHandle.of(parentPid).ifPresentOrElse(p -> p.onExit().thenRun(gone), gone);
            }
            Thread stdin =
                    new Thread(
                            () -> {
                                try (BufferedReader in =
                                        new BufferedReader(
                                                new InputStreamReader(
                                                        System.in, StandardCharsets.UTF_8))) {
                                    String line;
                                    while ((line = in.readLine()) != null && !line.equals("exit")) {
                                        // nothing else is read
                                    }
                                } catch (Exception ignored) {
                                    // treat as end of input
                                }
                                stop.countDown();
                            },
                            "troupe-worker-stdin");
            stdin.setDaemon(true);
            stdin.start();
            // An evicted node terminates its actor system (troupe.remote.on-evicted).
            system.getWhenTerminated().thenRun(stop::countDown);
            System.out.println(READY + " " + node.name() + " pid " + ProcessHandle.current().pid());
            System.out.flush();
            stop.await();
        } catch (Throwable t) {
            LOG.error("worker failed: {}", t.toString(), t);
            status = 1;
        } finally {
            if (evicted.get() && status == 0) {
                status = EXIT_EVICTED; // a failure: the pool's restart policy starts a successor
            }
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                status = status == 0 ? 2 : status;
            }
            if (parentGone.get()
                    || !ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false)) {
                // The parent hosted the driver: if it was killed, the last worker out removes what
                // it left in /dev/shm.
                MediaDrivers.removeIfHostGone(settings);
            }
        }
        System.exit(status);
    }
}
