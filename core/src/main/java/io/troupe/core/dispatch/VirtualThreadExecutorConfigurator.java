package io.troupe.core.dispatch;

import akka.dispatch.DispatcherPrerequisites;
import akka.dispatch.ExecutorServiceConfigurator;
import akka.dispatch.ExecutorServiceFactory;
import akka.dispatch.MonitorableThreadFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Akka executor that runs each mailbox on a new virtual thread on Java 21+, and on a fixed pool
 * of platform threads on Java 17-20. Named in a dispatcher's configuration:
 *
 * <pre>
 * my-dispatcher {
 *   type = "Dispatcher"
 *   executor = "io.troupe.core.dispatch.VirtualThreadExecutorConfigurator"
 *   fallback-pool-size = 32   # platform threads on Java 17-20, a count &gt;= 1
 *   throughput = 1
 * }
 * </pre>
 *
 * {@code troupe.dispatchers.virtual-threads} ({@link DispatcherPreset#VIRTUAL_THREADS}) is such a
 * dispatcher.
 *
 * <p>Akka creates one configurator per dispatcher per actor system, passing the dispatcher's own
 * configuration section (not a sub-section, unlike the built-in executors) merged over {@code
 * akka.actor.default-dispatcher}. {@code fallback-pool-size} is checked here, on every JVM, so a
 * bad value fails on the first lookup of the dispatcher whichever Java runs the build.
 *
 * <p>Threads are named {@code <system>-<dispatcher id>-<n>} like Akka's own executors name theirs;
 * virtual threads get the actor system's context class loader and uncaught-exception handler as
 * Akka's platform threads do, but are always daemon threads whatever {@code akka.daemonic} says.
 * Akka shuts an idle dispatcher's executor down after its {@code shutdown-timeout} and asks the
 * factory for a new one on next use; the fallback log line is written on the first executor only.
 *
 * <p>Thread safety: instances are created by Akka's dispatcher lookup and may then be used from any
 * thread; the only mutable state is an atomic once-flag for the log line.
 */
public final class VirtualThreadExecutorConfigurator extends ExecutorServiceConfigurator {

    /** The dispatcher key holding the size of the platform-thread pool used on Java 17-20. */
    public static final String FALLBACK_POOL_SIZE = "fallback-pool-size";

    private static final Logger LOG =
            LoggerFactory.getLogger(VirtualThreadExecutorConfigurator.class);

    /** As Akka's thread-pool-executor defaults: idle threads stop after 60 s. */
    private static final long FALLBACK_KEEP_ALIVE_SECONDS = 60;

    private final int fallbackPoolSize;
    private final AtomicBoolean fallbackLogged = new AtomicBoolean();

    /**
     * Called by Akka through reflection when the dispatcher is first looked up.
     *
     * @param config the dispatcher's configuration section, with {@code id} set by Akka
     * @param prerequisites the actor system's dispatcher prerequisites
     * @throws ConfigException if {@code fallback-pool-size} is missing, not a number or below 1
     */
    public VirtualThreadExecutorConfigurator(Config config, DispatcherPrerequisites prerequisites) {
        super(config, prerequisites);
        this.fallbackPoolSize = fallbackPoolSize(config);
    }

    /**
     * The size of the platform-thread pool used when virtual threads are unavailable.
     *
     * @return the validated {@code fallback-pool-size}, at least 1
     */
    public int fallbackPoolSize() {
        return fallbackPoolSize;
    }

    @Override
    public ExecutorServiceFactory createExecutorServiceFactory(
            String id, ThreadFactory threadFactory) {
        // Akka hands every executor the actor system's factory named "<system>"; each built-in
        // executor appends the dispatcher id itself, so this one does too.
        String namePrefix =
                threadFactory instanceof MonitorableThreadFactory
                        ? ((MonitorableThreadFactory) threadFactory).name() + "-" + id
                        : id;
        if (VirtualThreads.available()) {
            // One factory per dispatcher, reused when Akka recreates an idle executor, so thread
            // numbers keep counting up instead of repeating.
            ThreadFactory virtualThreads =
                    wiredLikeAkka(
                            VirtualThreads.newThreadFactory(namePrefix + "-", 1), threadFactory);
            return () -> VirtualThreads.newThreadPerTaskExecutor(virtualThreads);
        }
        ThreadFactory platformThreads =
                threadFactory instanceof MonitorableThreadFactory
                        ? ((MonitorableThreadFactory) threadFactory).withName(namePrefix)
                        : threadFactory;
        return () -> {
            if (fallbackLogged.compareAndSet(false, true)) {
                LOG.warn(
                        "Dispatcher [{}] runs on a fixed pool of {} platform threads ({}) instead of"
                                + " virtual threads: {}. Run on Java {}+ to get virtual threads.",
                        id,
                        fallbackPoolSize,
                        FALLBACK_POOL_SIZE,
                        VirtualThreads.unavailableReason(),
                        VirtualThreads.MINIMUM_JAVA);
            }
            return newFallbackPool(platformThreads);
        };
    }

    private ExecutorService newFallbackPool(ThreadFactory platformThreads) {
        // Unbounded queue, bounded threads: the same shape as Akka's fixed-pool-size executor.
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(
                        fallbackPoolSize,
                        fallbackPoolSize,
                        FALLBACK_KEEP_ALIVE_SECONDS,
                        TimeUnit.SECONDS,
                        new LinkedBlockingQueue<>(),
                        platformThreads);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Gives virtual threads the class loader and failure handler Akka gives its own threads. */
    private static ThreadFactory wiredLikeAkka(
            ThreadFactory virtualThreads, ThreadFactory akkaThreads) {
        if (!(akkaThreads instanceof MonitorableThreadFactory)) {
            return virtualThreads;
        }
        MonitorableThreadFactory akka = (MonitorableThreadFactory) akkaThreads;
        ClassLoader loader =
                akka.contextClassLoader().isDefined() ? akka.contextClassLoader().get() : null;
        Thread.UncaughtExceptionHandler handler = akka.exceptionHandler();
        return task -> {
            Thread thread = virtualThreads.newThread(task);
            if (loader != null) {
                thread.setContextClassLoader(loader);
            }
            if (handler != null) {
                thread.setUncaughtExceptionHandler(handler);
            }
            return thread;
        };
    }

    private static int fallbackPoolSize(Config config) {
        String id = config.hasPath("id") ? config.getString("id") : "(no id)";
        if (!config.hasPath(FALLBACK_POOL_SIZE)) {
            throw new ConfigException.Generic(
                    "Dispatcher ["
                            + id
                            + "] uses executor = \""
                            + VirtualThreadExecutorConfigurator.class.getName()
                            + "\" but sets no "
                            + FALLBACK_POOL_SIZE
                            + "; add e.g. "
                            + FALLBACK_POOL_SIZE
                            + " = 32 (the platform"
                            + " threads it runs on when the JVM is older than Java "
                            + VirtualThreads.MINIMUM_JAVA
                            + ") to ["
                            + id
                            + "]");
        }
        int size = config.getInt(FALLBACK_POOL_SIZE);
        if (size < 1) {
            throw new ConfigException.BadValue(
                    config.getValue(FALLBACK_POOL_SIZE).origin(),
                    id + "." + FALLBACK_POOL_SIZE,
                    FALLBACK_POOL_SIZE
                            + "="
                            + size
                            + " but the fallback pool needs at least 1 platform thread; set it to 1 or more"
                            + " (default 32)");
        }
        return size;
    }
}
