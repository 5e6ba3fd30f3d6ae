package io.troupe.remote.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.core.TroupeConfig;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.testsupport.TestAeronDir;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Three machines in one JVM over TLS-TCP with mutual authentication ({@code
 * troupe.cluster.transport = "tls-tcp"}), each with its own Aeron directory and loopback address: A
 * (127.0.0.2) and B (127.0.0.3) hold the cluster's key pair and trust its certificate, so they form
 * the cluster and an ask crosses between them; C (127.0.0.4) trusts the same certificates but
 * presents a certificate no one trusts, so it never becomes a member and what it sends never
 * arrives.
 */
class ClusterTlsTest {
    sealed interface Cmd permits Ping, Pong {}

    record Ping(ActorRef<Pong> replyTo) implements Cmd {}

    record Pong(String from) implements Cmd {}

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** How long the stranger gets to sneak in: its seed-node join retries every few seconds. */
    private static final Duration STRANGER_WAIT = Duration.ofSeconds(8);

    @TempDir Path dir;
    @RegisterExtension final TestAeronDir machineA = new TestAeronDir();
    @RegisterExtension final TestAeronDir machineB = new TestAeronDir();
    @RegisterExtension final TestAeronDir machineC = new TestAeronDir();
    private final List<ActorTestKit> kits = new ArrayList<>();
    private TestKeyStores stores;

    /** RemoteNode's log lines (INFO and up) during the test. */
    private final Queue<ILoggingEvent> nodeLog = new ConcurrentLinkedQueue<>();

    private final AppenderBase<ILoggingEvent> appender =
            new AppenderBase<>() {
                @Override
                protected void append(ILoggingEvent event) {
                    nodeLog.add(event);
                }
            };
    private Level nodeLogLevel;

    private static Logger nodeLogger() {
        return (Logger) LoggerFactory.getLogger(RemoteNode.class);
    }

    @BeforeEach
    void captureNodeLog() {
        appender.start();
        nodeLogLevel = nodeLogger().getLevel();
        nodeLogger().setLevel(Level.INFO);
        nodeLogger().addAppender(appender);
    }

    /**
     * Stops every node, the youngest first, each within the test kit's 10 s (a node that does not
     * stop in time fails the test, and the others are still stopped).
     */
    @AfterEach
    void tearDown() {
        RuntimeException failed = null;
        for (int i = kits.size() - 1; i >= 0; i--) {
            try {
                kits.get(i).shutdownTestKit();
            } catch (RuntimeException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        nodeLogger().detachAppender(appender);
        nodeLogger().setLevel(nodeLogLevel);
        appender.stop();
        if (failed != null) {
            throw failed;
        }
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return s.getLocalPort();
        }
    }

    private ActorTestKit node(
            TestAeronDir machine, String host, int port, String name, String seed, Path keyStore) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("troupe.remote.aeron-dir", machine.path().toString());
        settings.put("troupe.remote.cluster-name", "shop");
        settings.put("troupe.remote.node-name", name);
        settings.put("troupe.cluster.enabled", true);
        settings.put("troupe.cluster.hostname", host);
        settings.put("troupe.cluster.port", port);
        settings.put("troupe.cluster.seed-nodes", List.of(seed));
        settings.put("troupe.cluster.transport", "tls-tcp");
        settings.put("troupe.cluster.tls.key-store", keyStore.toString());
        settings.put("troupe.cluster.tls.key-store-password", TestKeyStores.PASSWORD);
        settings.put("troupe.cluster.tls.trust-store", stores.trust.toString());
        settings.put("troupe.cluster.tls.trust-store-password", TestKeyStores.PASSWORD);
        settings.put("akka.cluster.jmx.multi-mbeans-in-same-jvm", true);
        // Akka 2.6 can hang a TLS node's termination (akka/akka#29162); well inside the kit's 10 s.
        settings.put("troupe.cluster.remoting-shutdown-timeout", "2s");
        ActorTestKit kit =
                ActorTestKit.create("shop", TroupeConfig.load(ConfigFactory.parseMap(settings)));
        kits.add(kit);
        RemoteNode.get(kit.system()).register(Cmd.class);
        return kit;
    }

    private static List<Member> members(ActorTestKit kit) {
        return StreamSupport.stream(
                        Cluster.get(kit.system()).state().getMembers().spliterator(), false)
                .collect(Collectors.toList());
    }

    private static List<Member> up(ActorTestKit kit) {
        return members(kit).stream()
                .filter(m -> m.status() == MemberStatus.up())
                .collect(Collectors.toList());
    }

    @Test
    void shouldFormAClusterOfTrustedMachinesOnlyOverMutuallyAuthenticatedTls() throws Exception {
        stores = TestKeyStores.create(dir);
        int seedPort = freePort("127.0.0.2");
        String seed = "127.0.0.2:" + seedPort;
        ActorTestKit a = node(machineA, "127.0.0.2", seedPort, "a", seed, stores.member);
        ActorTestKit b =
                node(machineB, "127.0.0.3", freePort("127.0.0.3"), "b", seed, stores.member);
        Config akka = a.system().settings().config();
        assertEquals("tls-tcp", akka.getString("akka.remote.artery.transport"));
        assertTrue(
                akka.getBoolean(
                        "akka.remote.artery.ssl.config-ssl-engine.require-mutual-authentication"));
        String startLine =
                "Node a runs in cluster mode: Akka Cluster node "
                        + a.system().address()
                        + ", over TLS-TCP with mutual authentication";
        List<String> logged =
                nodeLog.stream()
                        .map(ILoggingEvent::getFormattedMessage)
                        .collect(Collectors.toList());
        assertTrue(
                logged.stream().anyMatch(m -> m.startsWith(startLine)),
                () -> "no start line for node a in " + logged);

        for (ActorTestKit k : List.of(a, b)) {
            k.createTestProbe()
                    .awaitAssert(
                            WAIT,
                            () -> {
                                assertEquals(
                                        2, up(k).size(), "members up as " + k.system().address());
                                return null;
                            });
        }

        // An ask across machines, through a lookup, over TLS.
        ActorRef<Cmd> responder =
                b.spawn(
                        Behaviors.receive(Cmd.class)
                                .onMessage(
                                        Ping.class,
                                        p -> {
                                            p.replyTo().tell(new Pong("b"));
                                            return Behaviors.same();
                                        })
                                .build(),
                        "responder");
        RemoteNode.get(b.system()).publish("responder", responder, Cmd.class);
        ActorRef<Cmd> fromA =
                RemoteNode.get(a.system())
                        .lookup("b", "responder", Cmd.class)
                        .toCompletableFuture()
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Pong pong =
                AskPattern.<Cmd, Pong>ask(fromA, Ping::new, WAIT, a.scheduler())
                        .toCompletableFuture()
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(new Pong("b"), pong);

        // The stranger trusts what A and B trust; only its own certificate is not trusted.
        TestProbe<ClusterEvent.MemberEvent> eventsAtA =
                a.createTestProbe(ClusterEvent.MemberEvent.class);
        TestProbe<ClusterEvent.MemberEvent> eventsAtB =
                b.createTestProbe(ClusterEvent.MemberEvent.class);
        Cluster.get(a.system())
                .subscriptions()
                .tell(Subscribe.create(eventsAtA.ref(), ClusterEvent.MemberEvent.class));
        Cluster.get(b.system())
                .subscriptions()
                .tell(Subscribe.create(eventsAtB.ref(), ClusterEvent.MemberEvent.class));
        eventsAtA.receiveSeveralMessages(2, WAIT); // the current members, as MemberUp events
        eventsAtB.receiveSeveralMessages(2, WAIT);
        // A plain Akka message to a's probe: from b it arrives, from the stranger it must not.
        TestProbe<String> inboxAtA = a.createTestProbe(String.class);
        String inboxPath = ActorRefResolver.get(a.system()).toSerializationFormat(inboxAtA.ref());
        ActorRefResolver.get(b.system()).<String>resolveActorRef(inboxPath).tell("from b");
        inboxAtA.expectMessage(WAIT, "from b");
        ActorTestKit stranger =
                node(
                        machineC,
                        "127.0.0.4",
                        freePort("127.0.0.4"),
                        "stranger",
                        seed,
                        stores.stranger);
        ActorRefResolver.get(stranger.system())
                .<String>resolveActorRef(inboxPath)
                .tell("from the stranger");

        eventsAtA.expectNoMessage(STRANGER_WAIT); // no Joining, no Up: it never got in
        eventsAtB.expectNoMessage(Duration.ofMillis(100));
        inboxAtA.expectNoMessage(Duration.ofMillis(100));
        for (ActorTestKit k : List.of(a, b)) {
            assertEquals(2, up(k).size(), "members up as " + k.system().address());
            assertEquals(2, members(k).size(), "members as " + k.system().address());
        }
        assertEquals(List.of(), up(stranger), "members up as the stranger sees it");
        assertNotEquals(MemberStatus.up(), Cluster.get(stranger.system()).selfMember().status());
    }
}
