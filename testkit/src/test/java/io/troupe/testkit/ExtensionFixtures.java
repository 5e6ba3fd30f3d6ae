package io.troupe.testkit;

import static org.junit.jupiter.api.Assertions.assertSame;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Test classes that {@link ActorTestKitExtensionTest} runs through the JUnit Platform's {@code
 * EngineTestKit}, to see the extension's whole class lifecycle from outside. Run any other way (an
 * IDE, or a surefire {@code -Dtest} pattern that matches nested classes) they are skipped, because
 * some of them are meant to fail.
 */
final class ExtensionFixtures {

    /** Configuration parameter that {@link ActorTestKitExtensionTest} sets to run the fixtures. */
    static final String RUN_FIXTURES = "troupe.testkit.run-fixtures";

    /** Systems seen by fixture tests, in the order seen; cleared before each engine run. */
    static final List<ActorSystem<?>> seen = new CopyOnWriteArrayList<>();

    private ExtensionFixtures() {}

    /** Skips a fixture class unless the engine run sets {@link #RUN_FIXTURES}. */
    static final class OnlyWhenRunByExtensionTest implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(RUN_FIXTURES)
                            .map(Boolean::parseBoolean)
                            .orElse(false)
                    ? ConditionEvaluationResult.enabled("run by ActorTestKitExtensionTest")
                    : ConditionEvaluationResult.disabled(
                            "fixture; runs only inside ActorTestKitExtensionTest");
        }
    }

    @ExtendWith(OnlyWhenRunByExtensionTest.class)
    static class TwoTestsFixture {
        @RegisterExtension static final ActorTestKitExtension testKit = new ActorTestKitExtension();

        @Test
        void first(ActorTestKit injected) {
            assertSame(testKit.kit(), injected);
            seen.add(testKit.system());
        }

        @Test
        void second() {
            seen.add(testKit.system());
        }
    }

    @ExtendWith(OnlyWhenRunByExtensionTest.class)
    static class AnotherClassFixture {
        @RegisterExtension static final ActorTestKitExtension testKit = new ActorTestKitExtension();

        @Test
        void only() {
            seen.add(testKit.system());
        }
    }

    @ExtendWith(OnlyWhenRunByExtensionTest.class)
    static class InstanceFieldFixture {
        @RegisterExtension final ActorTestKitExtension testKit = new ActorTestKitExtension();

        @Test
        void only() {
            seen.add(testKit.system());
        }
    }

    @ExtendWith(OnlyWhenRunByExtensionTest.class)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClassConstructorFixture {
        @RegisterExtension static final ActorTestKitExtension testKit = new ActorTestKitExtension();

        private final ActorTestKit injected;

        PerClassConstructorFixture(ActorTestKit injected) {
            this.injected = injected;
        }

        @Test
        void only() {
            assertSame(testKit.kit(), injected);
            seen.add(injected.system());
        }
    }

    /** One instance per class, so JUnit honours an instance field's beforeAll/afterAll. */
    @ExtendWith(OnlyWhenRunByExtensionTest.class)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClassInstanceFieldFixture {
        @RegisterExtension final ActorTestKitExtension testKit = new ActorTestKitExtension();

        @Test
        void first() {
            seen.add(testKit.system());
        }

        @Test
        void second() {
            seen.add(testKit.system());
        }
    }

    @ExtendWith(OnlyWhenRunByExtensionTest.class)
    static class NestedFixture {
        @RegisterExtension static final ActorTestKitExtension testKit = new ActorTestKitExtension();

        @Test
        void outer() {
            seen.add(testKit.system());
        }

        @Nested
        class Inner {
            @Test
            void inner() {
                seen.add(testKit.system());
            }
        }

        @Nested
        class SecondInner {
            @Test
            void secondInner() {
                // Runs after Inner's afterAll: the kit must have survived it.
                seen.add(testKit.system());
            }
        }
    }
}
