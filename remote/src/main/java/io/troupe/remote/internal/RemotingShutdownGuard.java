package io.troupe.remote.internal;

import akka.Done;
import akka.actor.ActorRef;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.io.TcpMessage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a deadline on Akka's remoting shutdown in cluster mode ({@code
 * troupe.cluster.remoting-shutdown-timeout}).
 *
 * <p>When an actor system terminates, Akka 2.6's Artery waits for its connection streams to end and
 * has no deadline for that. Over TLS an outbound connection whose sending side completed stays open
 * until the peer closes it (Artery connects with {@code IgnoreComplete}), and a peer that is still
 * running keeps its end open: the terminating system then never terminates (akka/akka#29162, fixed
 * only in later Akka lines; here one run in eight of a three-node TLS test hung so). Once the actor
 * system's last shutdown phase has run for {@code timeout} and the system is still not terminated,
 * this aborts the TCP connections Akka's IO layer still holds: each connection stage fails,
 * Artery's streams end, and the termination goes on.
 *
 * <p>The abort goes to every connection actor of the system's TCP manager ({@code
 * /system/IO-TCP/selectors/&#42;/&#42;}); a listener ignores it. By then every phase of the
 * coordinated shutdown is over, so no application connection is in a graceful close of its own.
 *
 * <p>Thread safety: the check runs once on a timer thread of the JDK; it only sends messages.
 */
public final class RemotingShutdownGuard {
    private static final Logger LOG = LoggerFactory.getLogger(RemotingShutdownGuard.class);

    /** The connection actors of Akka's TCP manager (and its listeners, which ignore an abort). */
    static final String TCP_CONNECTIONS = "/system/IO-TCP/selectors/*/*";

    private RemotingShutdownGuard() {}

    /**
     * Arms the deadline when {@code system}'s coordinated shutdown reaches its last phase.
     *
     * @param system a cluster-mode node's actor system
     * @param timeout how long the termination may take from there before connections are aborted
     */
    public static void install(ActorSystem<?> system, Duration timeout) {
        CoordinatedShutdown.get(Adapter.toClassic(system))
                .addTask(
                        CoordinatedShutdown.PhaseActorSystemTerminate(),
                        "troupe-remoting-shutdown-deadline",
                        () -> {
                            CompletableFuture.delayedExecutor(
                                            timeout.toMillis(), TimeUnit.MILLISECONDS)
                                    .execute(() -> onDeadline(system, timeout));
                            return CompletableFuture.completedFuture(Done.getInstance());
                        });
    }

    private static void onDeadline(ActorSystem<?> system, Duration timeout) {
        if (system.whenTerminated().isCompleted()) {
            return;
        }
        LOG.warn(
                "Actor system {} has not terminated {} ms after its last shutdown phase began:"
                        + " aborting the TCP connections Akka's remoting still holds open (Akka 2.6"
                        + " waits without a deadline for a TLS connection the peer keeps open,"
                        + " akka/akka#29162). Set by troupe.cluster.remoting-shutdown-timeout.",
                system.address(),
                timeout.toMillis());
        abortConnections(system);
    }

    /** Aborts (resets) every TCP connection that Akka's IO layer holds for {@code system}. */
    static void abortConnections(ActorSystem<?> system) {
        Adapter.toClassic(system)
                .actorSelection(TCP_CONNECTIONS)
                .tell(TcpMessage.abort(), ActorRef.noSender());
    }
}
