package io.troupe.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Adapter;
import akka.dispatch.DispatcherPrerequisites;
import akka.dispatch.ExecutorServiceFactory;
import akka.dispatch.MonitorableThreadFactory;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.troupe.core.dispatch.ThreadReporter.Report;
import io.troupe.core.dispatch.ThreadReporter.Reported;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.slf4j.LoggerFactory;

/**
 * The executor behind {@code troupe.dispatchers.virtual-threads}, driven through a real actor
 * system and directly. This class has its own actor system so that the preset's dispatcher is first
 * used, and logs, while this class listens.
 */
class VirtualThreadExecutorConfiguratorTest {

    // Akka's ActorTestKit, not troupe-testkit's extension: that module depends on this one.
    static final ActorTestKit testKit =
            ActorTestKit.create("VirtualThreadExecutorConfiguratorTest");

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String TEST_DISPATCHER = "test-dispatcher";

    private static final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeAll
    static void listenToLog() {
        logged.start();
        logger().addAppender(logged);
    }

    @AfterAll
    static void stopListening() {
        logger().detachAppender(logged);
        logged.stop();
        testKit.shutdownTestKit();
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void shouldLogOneLineNamingVersionAndFallbackWhenVirtualThreadsUnavailable() {
        for (int i = 0; i < 3; i++) {
            reportFromVirtualThreadsPreset();
        }

        List<ILoggingEvent> lines = linesAbout(DispatcherPreset.VIRTUAL_THREADS.configPath());
        assertEquals(1, lines.size(), "log lines: " + lines);
        ILoggingEvent line = lines.get(0);
        assertEquals(Level.WARN, line.getLevel());
        String message = line.getFormattedMessage();
        assertTrue(message.contains("virtual threads need Java 21+"), message);
        assertTrue(message.contains("this JVM is Java " + Runtime.version()), message);
        assertTrue(
                message.contains("fixed pool of 32 platform threads (fallback-pool-size)"),
                message);
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void shouldLogNothingWhenVirtualThreadsAvailable() {
        Reported reported = reportFromVirtualThreadsPreset();

        assertTrue(reported.virtual(), reported.toString());
        assertEquals(List.of(), linesAbout(DispatcherPreset.VIRTUAL_THREADS.configPath()));
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void shouldLogOnceWhenAkkaRecreatesAnIdleExecutor() throws Exception {
        ExecutorServiceFactory factory =
                configurator(ConfigFactory.parseString("fallback-pool-size = 2"))
                        .createExecutorServiceFactory(
                                TEST_DISPATCHER, prerequisites().threadFactory());

        ExecutorService first = factory.createExecutorService();
        shutDown(first);
        ExecutorService second = factory.createExecutorService();
        shutDown(second);

        assertEquals(1, linesAbout(TEST_DISPATCHER).size(), "log lines: " + logged.list);
    }

    @Test
    void shouldNameThreadsAfterSystemAndDispatcherWhenExecutorRuns() throws Exception {
        ExecutorService executor =
                configurator(ConfigFactory.parseString("fallback-pool-size = 2"))
                        .createExecutorServiceFactory(
                                TEST_DISPATCHER, prerequisites().threadFactory())
                        .createExecutorService();
        try {
            Thread thread =
                    executor.submit(Thread::currentThread).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertTrue(
                    thread.getName()
                            .matches(testKit.system().name() + "-" + TEST_DISPATCHER + "-\\d+"),
                    thread.getName());
            assertEquals(
                    DispatcherPreset.virtualThreadsAvailable(), ThreadReporter.isVirtual(thread));
            // Like Akka's own threads: the system's class loader, whichever thread started this
            // one.
            MonitorableThreadFactory akkaThreads =
                    (MonitorableThreadFactory) prerequisites().threadFactory();
            assertSame(akkaThreads.contextClassLoader().get(), thread.getContextClassLoader());
        } finally {
            shutDown(executor);
        }
    }

    @Test
    void shouldRejectFallbackPoolSizeWhenBelowOne() {
        ConfigException error =
                assertThrows(
                        ConfigException.class,
                        () -> configurator(ConfigFactory.parseString("fallback-pool-size = 0")));

        assertTrue(
                error.getMessage()
                        .contains(
                                "fallback-pool-size=0 but the fallback pool needs at least 1 platform thread"),
                error.getMessage());
        assertTrue(
                error.getMessage().contains(TEST_DISPATCHER + ".fallback-pool-size"),
                error.getMessage());
    }

    @Test
    void shouldNameTheFixWhenFallbackPoolSizeIsMissing() {
        ConfigException error =
                assertThrows(ConfigException.class, () -> configurator(ConfigFactory.empty()));

        assertTrue(
                error.getMessage()
                        .contains(
                                "Dispatcher ["
                                        + TEST_DISPATCHER
                                        + "] uses executor = \""
                                        + VirtualThreadExecutorConfigurator.class.getName()
                                        + "\" but sets no fallback-pool-size;"
                                        + " add e.g. fallback-pool-size = 32"),
                error.getMessage());
    }

    @Test
    void shouldShipDocumentedDefaultsWhenReferenceConfIsLoaded() {
        Config presets = ConfigFactory.defaultReference().getConfig(DispatcherPreset.CONFIG_ROOT);

        assertEquals("fork-join-executor", presets.getString("cpu-bound.executor"));
        assertEquals(1.0, presets.getDouble("cpu-bound.fork-join-executor.parallelism-factor"));
        assertEquals(2, presets.getInt("cpu-bound.fork-join-executor.parallelism-min"));
        assertEquals(64, presets.getInt("cpu-bound.fork-join-executor.parallelism-max"));
        assertEquals(100, presets.getInt("cpu-bound.throughput"));
        assertEquals("thread-pool-executor", presets.getString("blocking-io.executor"));
        assertEquals(32, presets.getInt("blocking-io.thread-pool-executor.fixed-pool-size"));
        assertEquals(1, presets.getInt("blocking-io.throughput"));
        assertEquals(
                VirtualThreadExecutorConfigurator.class.getName(),
                presets.getString("virtual-threads.executor"));
        assertEquals(
                presets.getInt("blocking-io.thread-pool-executor.fixed-pool-size"),
                presets.getInt("virtual-threads.fallback-pool-size"));
        assertEquals(1, presets.getInt("virtual-threads.throughput"));
    }

    private static Reported reportFromVirtualThreadsPreset() {
        TestProbe<Reported> probe = testKit.createTestProbe(Reported.class);
        testKit.spawn(ThreadReporter.create(), DispatcherPreset.VIRTUAL_THREADS.selector())
                .tell(new Report(probe.getRef()));
        Reported reported = probe.expectMessageClass(Reported.class, WAIT);
        assertFalse(reported.threadName().isEmpty());
        return reported;
    }

    /** A configurator as Akka builds one: the dispatcher's section with its {@code id}. */
    private static VirtualThreadExecutorConfigurator configurator(Config dispatcherSection) {
        Config config =
                dispatcherSection.withFallback(
                        ConfigFactory.parseString("id = \"" + TEST_DISPATCHER + "\""));
        return new VirtualThreadExecutorConfigurator(config, prerequisites());
    }

    private static DispatcherPrerequisites prerequisites() {
        return Adapter.toClassic(testKit.system()).dispatchers().prerequisites();
    }

    private static List<ILoggingEvent> linesAbout(String dispatcherId) {
        synchronized (logged) {
            return logged.list.stream()
                    .filter(
                            e ->
                                    e.getFormattedMessage()
                                            .contains("Dispatcher [" + dispatcherId + "]"))
                    .collect(Collectors.toList());
        }
    }

    private static void shutDown(ExecutorService executor) throws InterruptedException {
        executor.shutdown();
        assertTrue(
                executor.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS),
                "executor did not stop");
    }

    private static Logger logger() {
        return (Logger) LoggerFactory.getLogger(VirtualThreadExecutorConfigurator.class);
    }
}
