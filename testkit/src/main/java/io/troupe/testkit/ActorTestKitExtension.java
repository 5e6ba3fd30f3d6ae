package io.troupe.testkit;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.core.TroupeConfig;
import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives a test class one Akka Typed {@link ActorTestKit}: started before
 * the class's first test, shared by all its test methods (and {@code @Nested} classes), shut down
 * after its last test. Register it on a {@code static} field:
 *
 * <pre>{@code
 * class CounterTest {
 *   @RegisterExtension
 *   static final ActorTestKitExtension testKit = new ActorTestKitExtension();
 *
 *   @Test
 *   void shouldCountWhenIncremented() {
 *     ActorRef<Counter.Command> counter = testKit.spawn(Counter.create());
 *     TestProbe<Integer> probe = testKit.createTestProbe();
 *     ...
 *   }
 *
 *   @Test
 *   void shouldInjectTheKit(ActorTestKit kit) { ... }   // the same kit, resolved as a parameter
 * }
 * }</pre>
 *
 * <p>Configuration: the overrides given to {@link #ActorTestKitExtension(Config)} or {@link
 * #withConfig(String)}, over system properties, over {@code application-test.conf} (as Akka's
 * {@link ActorTestKit#applicationTestConfig()} reads it), over Troupe's settings for Akka ({@link
 * TroupeConfig#akkaSettings()}: Troupe's counted mailbox as every actor's default, whatever the
 * order of the test class path), over every {@code reference.conf}; see {@link TroupeConfig}. The
 * actor system is named after the test class.
 *
 * <p>Shutdown waits at most {@code akka.actor.testkit.typed.system-shutdown-default} (10 s by
 * default) and fails the test class if the system has not terminated by then, so a leaked system
 * never goes unnoticed.
 *
 * <p>Registered on an instance field the extension fails every test with an {@link
 * ExtensionConfigurationException}: JUnit does not call an instance-field extension's {@code
 * beforeAll}/{@code afterAll} (unless the class is {@code @TestInstance(PER_CLASS)}), so it would
 * need one actor system per test method and nothing would shut them down.
 *
 * <p>Thread safety: JUnit calls the callbacks from its own threads; the kit reference is volatile,
 * so the accessors may be called from any thread, including actors, while the class runs. One
 * instance serves one test class (with its nested classes) at a time: sharing an instance through a
 * base class is fine when those classes run one after another, and fails with an {@link
 * ExtensionConfigurationException} if they run concurrently.
 */
public final class ActorTestKitExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {

    private final Config overrides;

    private final Object lock = new Object();

    /** Guarded by {@link #lock} for writes; volatile so accessors on any thread see it. */
    private volatile ActorTestKit kit;

    /** Unique id of the class context that started {@link #kit}; guarded by {@link #lock}. */
    private String ownerId;

    /** That class's name, for error messages; guarded by {@link #lock}. */
    private String ownerName;

    /** An extension whose kit uses the test defaults (see the class comment). */
    public ActorTestKitExtension() {
        this(ConfigFactory.empty());
    }

    /**
     * An extension whose kit uses {@code overrides} layered over the test defaults.
     *
     * @param overrides settings that win over the test defaults (see the class comment)
     */
    public ActorTestKitExtension(Config overrides) {
        this.overrides = Objects.requireNonNull(overrides, "overrides");
    }

    /**
     * An extension whose kit uses the HOCON text {@code hocon} layered over the test defaults, e.g.
     * {@code withConfig("troupe.dispatchers.blocking-io.thread-pool-executor.fixed-pool-size =
     * 4")}.
     *
     * @param hocon configuration text in HOCON (or JSON, or properties) syntax
     * @return a new extension
     * @throws com.typesafe.config.ConfigException.Parse if {@code hocon} does not parse
     */
    public static ActorTestKitExtension withConfig(String hocon) {
        return new ActorTestKitExtension(
                ConfigFactory.parseString(Objects.requireNonNull(hocon, "hocon")));
    }

    /**
     * The running kit.
     *
     * @return the kit of the test class that is running
     * @throws IllegalStateException outside a test class's lifetime (e.g. in a static initialiser
     *     or after the class finished), naming the likely cause
     */
    public ActorTestKit kit() {
        ActorTestKit current = kit;
        if (current == null) {
            throw new IllegalStateException(
                    "ActorTestKitExtension has no running ActorTestKit: it starts"
                            + " in JUnit's beforeAll and stops in afterAll, so call kit()/system()/spawn() from a test,"
                            + " @BeforeAll, @BeforeEach or @AfterEach method, and register the extension on a static"
                            + " field: @RegisterExtension static final ActorTestKitExtension testKit ="
                            + " new ActorTestKitExtension();");
        }
        return current;
    }

    /**
     * @return the running kit's actor system (see {@link #kit()})
     */
    public ActorSystem<Void> system() {
        return kit().system();
    }

    /**
     * Spawns an actor under the kit's guardian with a generated name.
     *
     * @param behavior the actor's initial behavior
     * @param <T> the actor's message type
     * @return the new actor
     */
    public <T> ActorRef<T> spawn(Behavior<T> behavior) {
        return kit().spawn(behavior);
    }

    /**
     * Spawns a named actor under the kit's guardian.
     *
     * @param behavior the actor's initial behavior
     * @param name a name unique among the kit's top-level actors
     * @param <T> the actor's message type
     * @return the new actor
     */
    public <T> ActorRef<T> spawn(Behavior<T> behavior, String name) {
        return kit().spawn(behavior, name);
    }

    /**
     * Spawns an actor with props, e.g. a dispatcher: {@code spawn(b,
     * DispatcherPreset.BLOCKING_IO.selector())}.
     *
     * @param behavior the actor's initial behavior
     * @param props props such as a {@link akka.actor.typed.DispatcherSelector}
     * @param <T> the actor's message type
     * @return the new actor
     */
    public <T> ActorRef<T> spawn(Behavior<T> behavior, Props props) {
        return kit().spawn(behavior, props);
    }

    /**
     * Spawns a named actor with props.
     *
     * @param behavior the actor's initial behavior
     * @param name a name unique among the kit's top-level actors
     * @param props props such as a {@link akka.actor.typed.DispatcherSelector}
     * @param <T> the actor's message type
     * @return the new actor
     */
    public <T> ActorRef<T> spawn(Behavior<T> behavior, String name, Props props) {
        return kit().spawn(behavior, name, props);
    }

    /**
     * @param <M> the message type the probe receives
     * @return a new probe in the kit's system
     */
    public <M> TestProbe<M> createTestProbe() {
        return kit().createTestProbe();
    }

    /**
     * @param messageType the message type the probe receives
     * @param <M> the message type the probe receives
     * @return a new probe in the kit's system
     */
    public <M> TestProbe<M> createTestProbe(Class<M> messageType) {
        return kit().createTestProbe(messageType);
    }

    /**
     * @param name a name prefix for the probe's actor, shown in failures
     * @param messageType the message type the probe receives
     * @param <M> the message type the probe receives
     * @return a new probe in the kit's system
     */
    public <M> TestProbe<M> createTestProbe(String name, Class<M> messageType) {
        return kit().createTestProbe(name, messageType);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (kit == null) {
            // Only an instance-field registration reaches a test without beforeAll having run.
            throw new ExtensionConfigurationException(
                    "ActorTestKitExtension is registered on the"
                            + " non-static field of "
                            + describe(context)
                            + ", so JUnit never calls its beforeAll and"
                            + " afterAll: it would need one ActorTestKit per test method and none would be shut down."
                            + " Make the field static: @RegisterExtension static final ActorTestKitExtension testKit"
                            + " = new ActorTestKitExtension();");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ActorTestKit stopping;
        synchronized (lock) {
            if (kit == null || !context.getUniqueId().equals(ownerId)) {
                return; // a @Nested class ends; the enclosing class that started the kit stops it
            }
            stopping = kit;
            kit = null;
            ownerId = null;
            ownerName = null;
        }
        Duration deadline =
                Duration.ofNanos(
                        stopping.testKitSettings().DefaultActorSystemShutdownTimeout().toNanos());
        ActorTestKit.shutdown(stopping.system(), deadline, true);
    }

    @Override
    public boolean supportsParameter(
            ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == ActorTestKit.class;
    }

    @Override
    public Object resolveParameter(
            ParameterContext parameterContext, ExtensionContext extensionContext) {
        if (kit == null && parameterContext.getDeclaringExecutable() instanceof Constructor) {
            // @TestInstance(PER_CLASS) creates the instance before beforeAll runs.
            start(extensionContext);
        }
        if (kit == null) {
            throw new ParameterResolutionException(
                    "Cannot inject ActorTestKit into "
                            + parameterContext.getDeclaringExecutable()
                            + ": the ActorTestKitExtension of "
                            + describe(extensionContext)
                            + " has not started, which happens when it is registered on"
                            + " a non-static field. Make the field static: @RegisterExtension static final"
                            + " ActorTestKitExtension testKit = new ActorTestKitExtension();");
        }
        return kit;
    }

    /** Starts the kit for a class context, or joins the kit an enclosing class started. */
    private void start(ExtensionContext context) {
        synchronized (lock) {
            if (kit != null) {
                if (isSameOrEnclosedBy(context, ownerId)) {
                    return; // @Nested class, or beforeAll after a PER_CLASS constructor injection
                }
                throw new ExtensionConfigurationException(
                        "One ActorTestKitExtension instance is used by "
                                + describe(context)
                                + " while it still serves "
                                + ownerName
                                + " (classes running"
                                + " concurrently and sharing a static field, e.g. through a base class). Give each test"
                                + " class its own @RegisterExtension static final ActorTestKitExtension field.");
            }
            Config config = overrides.withFallback(TroupeConfig.load("application-test")).resolve();
            kit = ActorTestKit.create(systemName(context), config);
            ownerId = context.getUniqueId();
            ownerName = describe(context);
        }
    }

    private static boolean isSameOrEnclosedBy(ExtensionContext context, String ancestorId) {
        for (Optional<ExtensionContext> c = Optional.of(context);
                c.isPresent();
                c = c.get().getParent()) {
            if (c.get().getUniqueId().equals(ancestorId)) {
                return true;
            }
        }
        return false;
    }

    /** An actor-system name from the test class: Akka allows [a-zA-Z0-9][a-zA-Z0-9_-]*. */
    private static String systemName(ExtensionContext context) {
        String name =
                context.getTestClass()
                        .map(Class::getSimpleName)
                        .orElse("ActorTestKitExtension")
                        .replaceAll("[^a-zA-Z0-9_-]", "-");
        return name.isEmpty() || !Character.isLetterOrDigit(name.charAt(0)) ? "test-" + name : name;
    }

    private static String describe(ExtensionContext context) {
        return context.getTestClass().map(Class::getName).orElse(context.getUniqueId());
    }
}
