package io.troupe.remote.driver;

import com.typesafe.config.ConfigFactory;
import io.troupe.remote.RemoteSettings;
import io.troupe.remote.RemoteSettings.DriverMode;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a media driver in a process of its own, for setups where no node process should be special:
 * nodes started with {@code troupe.remote.driver.mode = attach} (or the default attach-or-launch)
 * use it, and any of them may exit without taking the transport down.
 *
 * <pre>
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp &lt;class path&gt; \
 *      io.troupe.remote.driver.StandaloneDriver [--dir DIR] [--term-length SIZE] [--idle-strategy KIND]
 * </pre>
 *
 * Options default to the {@code troupe.remote} config (application.conf, {@code -D} overrides,
 * reference.conf), so {@code --dir} can be left out when the nodes use the default directory of the
 * same cluster ({@code -Dtroupe.remote.cluster-name=...}). It takes the same directory lock as
 * nodes and refuses to start when a driver already runs there. It prints one line saying where it
 * runs, then runs until SIGTERM or Ctrl-C, when it closes the driver, deletes the directory and its
 * lock file, and prints a second line.
 *
 * <p>Thread safety: a program entry point; not meant to be called concurrently.
 */
public final class StandaloneDriver {
    private static final String USAGE =
            "usage: StandaloneDriver [--dir DIR] [--term-length SIZE, e.g. 1m] "
                    + "[--idle-strategy backoff|low-latency|sleeping]";

    private StandaloneDriver() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> overrides = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.println(USAGE);
                return;
            }
            String key =
                    switch (args[i]) {
                        case "--dir" -> "aeron-dir";
                        case "--term-length" -> "term-length";
                        case "--idle-strategy" -> "idle-strategy";
                        default -> null;
                    };
            if (key == null || i + 1 == args.length) {
                System.err.println(
                        "StandaloneDriver: bad or incomplete argument '" + args[i] + "'\n" + USAGE);
                System.exit(2);
            }
            overrides.put(RemoteSettings.PREFIX + "." + key, args[++i]);
        }
        DriverHandle handle;
        RemoteSettings settings;
        try {
            settings =
                    RemoteSettings.fromConfig(
                            ConfigFactory.parseMap(overrides, "command line")
                                    .withFallback(ConfigFactory.load()));
            handle = MediaDrivers.start(settings, DriverMode.EMBEDDED);
        } catch (RuntimeException e) {
            System.err.println("StandaloneDriver: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    handle.close();
                                    System.out.println(
                                            "Troupe media driver stopped; removed "
                                                    + handle.aeronDirectory());
                                    System.out.flush();
                                    stopped.countDown();
                                },
                                "troupe-driver-shutdown"));
        System.out.println(
                "Troupe media driver running in "
                        + handle.aeronDirectory()
                        + " (pid "
                        + ProcessHandle.current().pid()
                        + ", term-length "
                        + settings.termLength()
                        + " bytes, idle-strategy "
                        + settings.idleStrategy().configValue()
                        + "); stop it with SIGTERM or Ctrl-C");
        System.out.flush();
        stopped.await();
    }
}
