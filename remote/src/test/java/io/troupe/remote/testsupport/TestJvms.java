package io.troupe.remote.testsupport;

import io.troupe.remote.launch.ChildJvm;
import java.nio.file.Path;
import java.util.List;

/**
 * The tests' preset of {@link ChildJvm}: the test class path, the caller's JVM options, and the
 * whole output logged under {@code target/child-jvms/} besides the in-memory tail that failure
 * messages quote.
 *
 * <pre>
 * ChildJvm child = TestJvms.start(MyMain.class, aeronDir.jvmOptions("node-name", "a"), "arg");
 * child.awaitLine("READY", Duration.ofSeconds(20));
 * ...
 * &#64;AfterEach void kill() { child.kill(); }   // by PID, with its descendants
 * </pre>
 *
 * <p>Thread safety: stateless.
 */
public final class TestJvms {
    /** Where the children's logs go. */
    public static final Path LOGS = Path.of("target", "child-jvms");

    private TestJvms() {}

    /**
     * JVM flags for the tests' child JVMs and pool workers: C1 only and the serial collector. A
     * child lives seconds and asserts behaviour, not speed; C2's compiler threads and a parallel
     * collector only compete with the other JVMs of a test for the machine's cores (2 on CI), so a
     * child starts in about half the CPU time.
     */
    public static final List<String> QUICK_START =
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** {@link #QUICK_START} followed by {@code more}. */
    public static List<String> quickStart(String... more) {
        List<String> all = new java.util.ArrayList<>(QUICK_START);
        all.addAll(List.of(more));
        return all;
    }

    /**
     * Starts {@code mainClass} like {@link #start}, but without the {@code --add-exports} flag
     * Aeron needs: to see what a node started without it does.
     */
    public static ChildJvm startWithoutAddExports(
            Class<?> mainClass, List<String> jvmOptions, String... args) {
        return ChildJvm.builder(mainClass)
                .withoutAddExports()
                .jvmOptions(QUICK_START)
                .jvmOptions(jvmOptions)
                .logDirectory(LOGS)
                .args(args)
                .start();
    }

    /** Starts {@code mainClass} with {@code jvmOptions} and {@code args}. */
    public static ChildJvm start(Class<?> mainClass, List<String> jvmOptions, String... args) {
        return ChildJvm.builder(mainClass)
                .jvmOptions(QUICK_START)
                .jvmOptions(jvmOptions)
                .logDirectory(LOGS)
                .args(args)
                .start();
    }
}
