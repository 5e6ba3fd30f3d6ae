package io.troupe.remote.driver;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Whether this JVM lets Aeron run: Agrona (Aeron's buffer library) uses {@code
 * jdk.internal.misc.Unsafe}, which Java 17+ opens only to code that the JVM option {@value #FLAG}
 * names. Without it the first touch of a mapped buffer fails deep inside Agrona with an {@link
 * IllegalAccessError} that says nothing about the fix, so start-up asks first, before it creates
 * any file, and fails with a {@link DriverException} that names the flag and where it goes.
 *
 * <p>Thread safety: stateless.
 */
final class AeronAccess {
    static final String FLAG = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED";

    private AeronAccess() {}

    /**
     * Whether {@code jdk.internal.misc} is exported to Agrona's module (the unnamed module on a
     * class path). Looking at {@code UnsafeBuffer.class} does not initialise it.
     */
    static boolean granted() {
        return Object.class
                .getModule()
                .isExported("jdk.internal.misc", UnsafeBuffer.class.getModule());
    }

    /** Throws {@link #missing} when the flag is absent; does nothing otherwise. */
    static void require() {
        if (!granted()) {
            throw missing(null);
        }
    }

    /** Whether {@code t} or a cause of it is Agrona's failure for lack of the flag. */
    static boolean isMissingAccess(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IllegalAccessError
                    && c.getMessage() != null
                    && c.getMessage().contains("jdk.internal.misc")) {
                return true;
            }
        }
        return false;
    }

    static DriverException missing(Throwable cause) {
        return new DriverException(
                "Aeron cannot run in this JVM: it needs the JVM option `"
                        + FLAG
                        + "` (Agrona, Aeron's buffer library, uses jdk.internal.misc.Unsafe), and"
                        + " this JVM ("
                        + System.getProperty("java.vm.name", "?")
                        + " "
                        + Runtime.version()
                        + ") was started without it. Add it where the JVM is started: on the java"
                        + " command line (`java "
                        + FLAG
                        + " -cp <class path> <main class>`); for `java -jar`, in the jar's"
                        + " manifest as `Add-Exports: java.base/jdk.internal.misc`; for tests, in"
                        + " Maven Surefire's or Failsafe's <argLine>; or in the JDK_JAVA_OPTIONS"
                        + " environment variable. Nothing was created.",
                cause);
    }
}
