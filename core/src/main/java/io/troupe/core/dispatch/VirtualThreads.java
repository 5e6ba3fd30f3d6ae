package io.troupe.core.dispatch;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Reaches the Java 21 virtual-thread API from code compiled with {@code --release 17}, through
 * method handles looked up once per JVM. On Java 17-20 the lookup is not attempted (19 and 20 have
 * the API only as a preview, which throws unless the JVM runs with {@code --enable-preview}), and
 * {@link #available()} is {@code false}.
 *
 * <p>Thread safety: stateless apart from the handles, which are immutable and published through
 * class initialisation; safe from any thread.
 */
final class VirtualThreads {

    /** The first Java feature release with final (non-preview) virtual threads. */
    static final int MINIMUM_JAVA = 21;

    private static final Handles HANDLES = Handles.lookUp();

    private VirtualThreads() {}

    static boolean available() {
        return HANDLES.unavailableReason == null;
    }

    /**
     * Why virtual threads are unavailable, for a log line; {@code null} when they are available.
     */
    static String unavailableReason() {
        return HANDLES.unavailableReason;
    }

    /**
     * {@code Thread.ofVirtual().name(prefix, start).factory()}: a thread-safe factory of unstarted
     * virtual threads named {@code prefix + n}, n counting up from {@code start}.
     */
    static ThreadFactory newThreadFactory(String prefix, long start) {
        requireAvailable();
        try {
            Object builder = HANDLES.ofVirtual.invoke();
            builder = HANDLES.name.invoke(builder, prefix, start);
            return (ThreadFactory) HANDLES.factory.invoke(builder);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(
                    "Thread.ofVirtual().name(\""
                            + prefix
                            + "\", "
                            + start
                            + ").factory() failed on Java "
                            + Runtime.version(),
                    t);
        }
    }

    /** {@code Executors.newThreadPerTaskExecutor(factory)}: one new thread per submitted task. */
    static ExecutorService newThreadPerTaskExecutor(ThreadFactory factory) {
        requireAvailable();
        try {
            return (ExecutorService) HANDLES.newThreadPerTaskExecutor.invoke(factory);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(
                    "Executors.newThreadPerTaskExecutor failed on Java " + Runtime.version(), t);
        }
    }

    private static void requireAvailable() {
        if (!available()) {
            throw new IllegalStateException(
                    "Virtual threads are unavailable: "
                            + unavailableReason()
                            + "; check DispatcherPreset.virtualThreadsAvailable() first");
        }
    }

    /** The looked-up handles, or all {@code null} with the reason they could not be had. */
    private static final class Handles {
        final MethodHandle ofVirtual;
        final MethodHandle name;
        final MethodHandle factory;
        final MethodHandle newThreadPerTaskExecutor;
        final String unavailableReason;

        private Handles(
                MethodHandle ofVirtual,
                MethodHandle name,
                MethodHandle factory,
                MethodHandle newThreadPerTaskExecutor,
                String unavailableReason) {
            this.ofVirtual = ofVirtual;
            this.name = name;
            this.factory = factory;
            this.newThreadPerTaskExecutor = newThreadPerTaskExecutor;
            this.unavailableReason = unavailableReason;
        }

        static Handles lookUp() {
            Runtime.Version version = Runtime.version();
            if (version.feature() < MINIMUM_JAVA) {
                return new Handles(
                        null,
                        null,
                        null,
                        null,
                        "virtual threads need Java "
                                + MINIMUM_JAVA
                                + "+ and this JVM is Java "
                                + version);
            }
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                Class<?> builder = Class.forName("java.lang.Thread$Builder");
                Class<?> ofVirtualBuilder = Class.forName("java.lang.Thread$Builder$OfVirtual");
                return new Handles(
                        lookup.findStatic(
                                Thread.class, "ofVirtual", MethodType.methodType(ofVirtualBuilder)),
                        lookup.findVirtual(
                                ofVirtualBuilder,
                                "name",
                                MethodType.methodType(ofVirtualBuilder, String.class, long.class)),
                        lookup.findVirtual(
                                builder, "factory", MethodType.methodType(ThreadFactory.class)),
                        lookup.findStatic(
                                Executors.class,
                                "newThreadPerTaskExecutor",
                                MethodType.methodType(ExecutorService.class, ThreadFactory.class)),
                        null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return new Handles(
                        null,
                        null,
                        null,
                        null,
                        "the virtual-thread API could not be reached on Java "
                                + version
                                + ": "
                                + e);
            }
        }
    }
}
