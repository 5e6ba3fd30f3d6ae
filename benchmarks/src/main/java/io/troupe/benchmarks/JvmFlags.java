package io.troupe.benchmarks;

import io.troupe.remote.launch.ChildJvm;

/**
 * JVM flags every benchmark JVM gets.
 *
 * <p>JMH starts its forks as {@code java -cp <class path> ...}, not {@code java -jar}, so the
 * {@code Add-Exports} attribute in this jar's manifest does not reach them: the flag Aeron 1.51
 * (Agrona 2.x) needs on Java 17+ must be passed explicitly, or any fork that touches Aeron dies
 * with an {@code IllegalAccessError} in {@code org.agrona.UnsafeApi}.
 *
 * <p>Thread safety: constants only.
 */
public final class JvmFlags {
    /** The flag as one string, for {@code @Fork(jvmArgsAppend = ...)}. */
    public static final String ADD_EXPORTS = ChildJvm.ADD_EXPORTS;

    private JvmFlags() {}
}
