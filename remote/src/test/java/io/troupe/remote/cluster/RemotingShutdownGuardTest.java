package io.troupe.remote.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.AbstractActor;
import akka.actor.ActorRef;
import akka.actor.ExtendedActorSystem;
import akka.actor.Props;
import akka.actor.SystemGuardian;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.stream.IgnoreComplete$;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.stream.javadsl.Tcp;
import akka.util.ByteString;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
import io.troupe.remote.internal.RemotingShutdownGuard;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@link RemotingShutdownGuard} against the state in which Akka 2.6's Artery hangs in {@code
 * terminate()}: a TLS connection opened the way Artery opens one ({@code IgnoreComplete}), whose
 * sending side has completed, to a real TLS peer that keeps its end open. A termination hook stands
 * in for Artery's remoting terminator: as that one does, it holds the system's termination until
 * the connection's stream has ended. Without the guard the termination waits for the peer; with it,
 * the connection is aborted at the deadline and the system terminates.
 */
class RemotingShutdownGuardTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Duration DEADLINE = Duration.ofSeconds(1);

    @TempDir static Path dir;
    private static TestKeyStores stores;
    private SSLServerSocket server;
    private ActorSystem<Void> system;

    /** The peer's end of the one connection, once accepted. */
    private volatile Socket peerSocket;

    private final ListAppender<ILoggingEvent> guardLog = new ListAppender<>();

    /** Bytes the peer has read; then: it has read the five sent; its reads have ended. */
    private final AtomicInteger peerRead = new AtomicInteger();

    private final CompletableFuture<Void> peerGotHello = new CompletableFuture<>();
    private final CompletableFuture<Void> peerSawEnd = new CompletableFuture<>();

    @BeforeAll
    static void makeStores() throws Exception {
        stores = TestKeyStores.create(dir);
    }

    @BeforeEach
    void setUp() throws Exception {
        guardLog.start();
        ((Logger) LoggerFactory.getLogger(RemotingShutdownGuard.class)).addAppender(guardLog);
        server =
                (SSLServerSocket)
                        context(stores.member, null)
                                .getServerSocketFactory()
                                .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        Thread peer = new Thread(this::servePeer, "tls-peer");
        peer.setDaemon(true);
        peer.start();
        system =
                ActorSystem.create(
                        Behaviors.empty(),
                        "guard-test",
                        ConfigFactory.parseString(
                                        "akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off")
                                .withFallback(ConfigFactory.load()));
    }

    @AfterEach
    void tearDown() throws Exception {
        ((Logger) LoggerFactory.getLogger(RemotingShutdownGuard.class)).detachAppender(guardLog);
        server.close();
        closePeer();
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The peer: accepts one connection, completes the handshake, reads, and never closes. */
    private void servePeer() {
        try {
            SSLSocket socket = (SSLSocket) server.accept();
            peerSocket = socket;
            socket.startHandshake();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[256];
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (peerRead.addAndGet(n) >= 5) {
                    peerGotHello.complete(null);
                }
            }
            peerSawEnd.complete(null);
        } catch (IOException e) {
            peerSawEnd.complete(null); // a reset, or the test closing the socket
        }
    }

    /** The peer closes its end (if it has one yet). */
    private void closePeer() throws IOException {
        Socket s = peerSocket;
        if (s != null) {
            s.close();
        }
    }

    private static SSLContext context(Path keyStore, Path trustStore)
            throws GeneralSecurityException, IOException {
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        KeyManagerFactory kmf = null;
        if (keyStore != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keyStore), TestKeyStores.PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = null;
        if (trustStore != null) {
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(trustStore));
        }
        ctx.init(
                kmf == null ? null : kmf.getKeyManagers(),
                tmf == null ? null : tmf.getTrustManagers(),
                null);
        return ctx;
    }

    private static KeyStore load(Path path) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(path.toFile())) {
            ks.load(in, TestKeyStores.PASSWORD.toCharArray());
        }
        return ks;
    }

    /**
     * Opens the connection as Artery does, sends five bytes and completes its sending side, and
     * starts the termination hook that waits for the connection's stream. Returns that stream's
     * end.
     */
    private CompletionStage<Done> connectionHoldingTermination() throws Exception {
        SSLContext client = context(null, stores.trust);
        CompletionStage<Done> done =
                Source.single(ByteString.fromString("hello"))
                        .via(
                                Tcp.get(Adapter.toClassic(system))
                                        .outgoingConnectionWithTls(
                                                new InetSocketAddress(
                                                        "127.0.0.1", server.getLocalPort()),
                                                () -> {
                                                    SSLEngine e =
                                                            client.createSSLEngine(
                                                                    "127.0.0.1",
                                                                    server.getLocalPort());
                                                    e.setUseClientMode(true);
                                                    return e;
                                                },
                                                Optional.empty(),
                                                List.of(),
                                                Optional.of(WAIT),
                                                Optional.empty(),
                                                session -> Optional.empty(),
                                                IgnoreComplete$.MODULE$))
                        .runWith(Sink.ignore(), system);
        try {
            peerGotHello.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the peer read " + peerRead.get() + " of 5 bytes", e);
        }
        ((ExtendedActorSystem) Adapter.toClassic(system))
                .systemActorOf(
                        Props.create(HoldsTermination.class, () -> new HoldsTermination(done)),
                        "holds-termination");
        assertStillRunning(done, Duration.ofMillis(500), "the connection, its sending side done");
        return done;
    }

    private static void assertStillRunning(CompletionStage<?> f, Duration d, String what)
            throws Exception {
        try {
            f.toCompletableFuture().get(d.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError(what + " ended within " + d.toMillis() + " ms");
        } catch (TimeoutException expected) {
            // still running, as expected
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(what + " failed within " + d.toMillis() + " ms", e);
        }
    }

    @Test
    void shouldAbortTheConnectionThatHoldsATerminatingSystemAtTheDeadline() throws Exception {
        RemotingShutdownGuard.install(system, DEADLINE);
        CompletionStage<Done> done = connectionHoldingTermination();

        long start = System.nanoTime();
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(tookMs >= DEADLINE.toMillis(), "terminated after " + tookMs + " ms");
        assertTrue(done.toCompletableFuture().isCompletedExceptionally(), "the stream was aborted");
        peerSawEnd.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(1, guardLog.list.size(), () -> "guard log: " + guardLog.list);
        String line = guardLog.list.get(0).getFormattedMessage();
        assertTrue(
                line.startsWith(
                        "Actor system akka://guard-test has not terminated 1000 ms after its last"
                                + " shutdown phase began: aborting the TCP connections"),
                line);
    }

    @Test
    void shouldLeaveATerminationThatEndsInTimeAlone() throws Exception {
        RemotingShutdownGuard.install(system, DEADLINE);
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        CompletableFuture<Void> pastTheDeadline = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(DEADLINE.toMillis() + 500, TimeUnit.MILLISECONDS)
                .execute(() -> pastTheDeadline.complete(null));
        pastTheDeadline.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(List.of(), guardLog.list, "nothing to abort");
    }

    /** What the guard is for: without it the termination waits for as long as the peer runs. */
    @Test
    void withoutTheGuardTheTerminationWaitsUntilThePeerCloses() throws Exception {
        CompletionStage<Done> done = connectionHoldingTermination();
        system.terminate();
        assertStillRunning(system.getWhenTerminated(), Duration.ofSeconds(3), "the termination");

        closePeer();
        system.getWhenTerminated().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(done.toCompletableFuture().isDone(), "the stream ended with the peer's close");
        assertEquals(List.of(), guardLog.list);
    }

    /**
     * A termination hook, as Artery's remoting terminator is one: the system guardian stops its
     * other children only after the hook says it is done, which this one says when {@code stream}
     * has ended.
     */
    static final class HoldsTermination extends AbstractActor {
        private final CompletionStage<Done> stream;
        private ActorRef guardian;

        HoldsTermination(CompletionStage<Done> stream) {
            this.stream = stream;
        }

        @Override
        public void preStart() {
            ((ExtendedActorSystem) getContext().getSystem())
                    .systemGuardian()
                    .tell(SystemGuardian.RegisterTerminationHook$.MODULE$, getSelf());
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .matchEquals(
                            SystemGuardian.TerminationHook$.MODULE$,
                            m -> {
                                guardian = getSender();
                                ActorRef self = getSelf();
                                stream.whenComplete((d, e) -> self.tell("ended", self));
                            })
                    .matchEquals(
                            "ended",
                            m -> {
                                guardian.tell(
                                        SystemGuardian.TerminationHookDone$.MODULE$, getSelf());
                                getContext().stop(getSelf());
                            })
                    .build();
        }
    }
}
