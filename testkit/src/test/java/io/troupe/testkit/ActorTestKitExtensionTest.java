package io.troupe.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import akka.actor.ActorCell;
import akka.actor.ActorRefWithCell;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import io.troupe.core.dispatch.CountedMailbox;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

class ActorTestKitExtensionTest {

    @RegisterExtension
    static final ActorTestKitExtension testKit =
            ActorTestKitExtension.withConfig(
                    "troupe.test.marker = 42\nakka.log-dead-letters = off");

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ActorTestKit injectedIntoConstructor;

    ActorTestKitExtensionTest(ActorTestKit injectedIntoConstructor) {
        this.injectedIntoConstructor = injectedIntoConstructor;
    }

    record Ping(String text, ActorRef<String> replyTo) {
        Ping {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    @Test
    void shouldInjectTheClassKitWhenTestDeclaresActorTestKit(ActorTestKit injected) {
        assertSame(testKit.kit(), injected);
        assertSame(testKit.kit(), injectedIntoConstructor);
        assertSame(testKit.kit().system(), testKit.system());
    }

    @Test
    void shouldSpawnAndProbeWhenUsingConvenienceMethods() {
        Behavior<Ping> echo =
                Behaviors.receiveMessage(
                        ping -> {
                            ping.replyTo().tell("echo " + ping.text());
                            return Behaviors.same();
                        });
        ActorRef<Ping> named = testKit.spawn(echo, "echo");
        ActorRef<Ping> anonymous = testKit.spawn(echo);
        TestProbe<String> probe = testKit.createTestProbe("replies", String.class);

        named.tell(new Ping("a", probe.getRef()));
        anonymous.tell(new Ping("b", probe.getRef()));

        // Two different actors answer: their replies may arrive in either order.
        assertEquals(Set.of("echo a", "echo b"), Set.copyOf(probe.receiveSeveralMessages(2, WAIT)));
        assertEquals("echo", named.path().name());
    }

    @Test
    void shouldLayerOverridesOverTestDefaultsWhenGivenConfig() {
        Config config = testKit.system().settings().config();

        assertEquals(42, config.getInt("troupe.test.marker"));
        assertFalse(config.getBoolean("akka.log-dead-letters"));
        assertTrue(config.hasPath("troupe.dispatchers.blocking-io"), "reference.conf missing");
        assertTrue(
                config.hasPath("akka.actor.testkit.typed.single-expect-default"),
                "testkit defaults missing");
    }

    @Test
    void shouldGiveActorsTroupesCountedMailboxWhateverTheClassPathOrder() {
        // This class path has Akka's reference.conf files and none that names Troupe's mailbox.
        Config config = testKit.system().settings().config();
        String counted = CountedMailbox.class.getName();
        assertEquals(counted, config.getString("akka.actor.typed.default-mailbox.mailbox-type"));
        assertEquals(counted, config.getString("akka.actor.default-mailbox.mailbox-type"));
        ActorRef<String> actor = testKit.spawn(Behaviors.ignore());
        ActorRefWithCell withCell = (ActorRefWithCell) Adapter.toClassic(actor);
        assertInstanceOf(
                CountedMailbox.CountedQueue.class,
                ((ActorCell) withCell.underlying()).mailbox().messageQueue());
    }

    @Test
    void shouldNameSystemAfterTestClassWhenStarted() {
        assertEquals("ActorTestKitExtensionTest", testKit.system().name());
    }

    @Test
    void shouldShareOneSystemAcrossTestsAndTerminateItWhenClassFinishes() {
        EngineExecutionResults results = runFixtures(ExtensionFixtures.TwoTestsFixture.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
        List<ActorSystem<?>> seen = List.copyOf(ExtensionFixtures.seen);
        assertEquals(2, seen.size());
        assertSame(seen.get(0), seen.get(1));
        assertTrue(
                seen.get(0).getWhenTerminated().toCompletableFuture().isDone(),
                "system still running after its class finished");
    }

    @Test
    void shouldStartOneSystemPerClassWhenClassesRunInTurn() {
        EngineExecutionResults results =
                runFixtures(
                        ExtensionFixtures.TwoTestsFixture.class,
                        ExtensionFixtures.AnotherClassFixture.class);

        results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(3));
        List<ActorSystem<?>> seen = List.copyOf(ExtensionFixtures.seen);
        assertEquals(2, seen.stream().distinct().count(), "systems: " + seen);
        assertNotSame(seen.get(0), seen.get(2));
        seen.forEach(
                s -> assertTrue(s.getWhenTerminated().toCompletableFuture().isDone(), s.name()));
    }

    @Test
    void shouldShareEnclosingSystemWhenNestedClassesRun() {
        EngineExecutionResults results = runFixtures(ExtensionFixtures.NestedFixture.class);

        results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(3));
        List<ActorSystem<?>> seen = List.copyOf(ExtensionFixtures.seen);
        assertEquals(3, seen.size());
        assertEquals(1, seen.stream().distinct().count(), "systems: " + seen);
        assertTrue(seen.get(0).getWhenTerminated().toCompletableFuture().isDone());
    }

    @Test
    void shouldInjectIntoConstructorWhenTestInstanceIsPerClass() {
        EngineExecutionResults results =
                runFixtures(ExtensionFixtures.PerClassConstructorFixture.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertTrue(
                ExtensionFixtures.seen.get(0).getWhenTerminated().toCompletableFuture().isDone());
    }

    @Test
    void shouldShareOneSystemWhenInstanceFieldIsInPerClassTestInstance() {
        EngineExecutionResults results =
                runFixtures(ExtensionFixtures.PerClassInstanceFieldFixture.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
        List<ActorSystem<?>> seen = List.copyOf(ExtensionFixtures.seen);
        assertEquals(1, seen.stream().distinct().count(), "systems: " + seen);
        assertTrue(seen.get(0).getWhenTerminated().toCompletableFuture().isDone());
    }

    @Test
    void shouldFailTestsWithFixWhenRegisteredOnInstanceField() {
        EngineExecutionResults results = runFixtures(ExtensionFixtures.InstanceFieldFixture.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        Event failed = results.testEvents().failed().list().get(0);
        Throwable error =
                failed.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
        assertInstanceOf(ExtensionConfigurationException.class, error);
        assertTrue(
                error.getMessage()
                        .contains(
                                "registered on the non-static field of "
                                        + ExtensionFixtures.InstanceFieldFixture.class.getName()),
                error.getMessage());
        assertTrue(
                error.getMessage().contains("one ActorTestKit per test method"),
                error.getMessage());
        assertTrue(
                error.getMessage()
                        .contains(
                                "Make the field static: @RegisterExtension static final ActorTestKitExtension testKit"),
                error.getMessage());
        assertTrue(
                ExtensionFixtures.seen.isEmpty(), "the test body ran: " + ExtensionFixtures.seen);
    }

    @Test
    void shouldExplainWhenKitIsUsedOutsideATestClass() {
        IllegalStateException error =
                assertThrows(
                        IllegalStateException.class, () -> new ActorTestKitExtension().system());

        assertTrue(error.getMessage().contains("has no running ActorTestKit"), error.getMessage());
        assertTrue(
                error.getMessage().contains("register the extension on a static field"),
                error.getMessage());
    }

    private static EngineExecutionResults runFixtures(Class<?>... fixtures) {
        ExtensionFixtures.seen.clear();
        EngineTestKit.Builder engine =
                EngineTestKit.engine("junit-jupiter")
                        .configurationParameter(ExtensionFixtures.RUN_FIXTURES, "true");
        for (Class<?> fixture : fixtures) {
            engine = engine.selectors(selectClass(fixture));
        }
        return engine.execute();
    }
}
