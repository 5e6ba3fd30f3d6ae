package io.troupe.remote.driver;

import io.aeron.Aeron;
import io.aeron.exceptions.DriverTimeoutException;
import io.troupe.remote.RemoteSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM main playing a pool worker: attaches to the driver of {@code troupe.remote.aeron-dir}
 * (system properties) and prints {@code ATTACHED}; when its Aeron client reports the driver gone
 * (the host was killed) it closes the client and prints {@code DRIVER GONE}, waits for a {@code go}
 * line so that a test can release several workers at the same moment, calls {@link
 * MediaDrivers#removeIfHostGone(java.nio.file.Path, java.time.Duration)} with the directory it was
 * given and prints {@code REMOVED true|false}, or {@code FAILED} and exits 1.
 *
 * <p>Thread safety: a program entry point.
 */
final class WorkerChild {
    private WorkerChild() {}

    public static void main(String[] args) throws Exception {
        BufferedReader stdin =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        RemoteSettings settings = RemoteSettings.load();
        try {
            CountDownLatch driverGone = new CountDownLatch(1);
            try (DriverHandle handle = MediaDrivers.start(settings);
                    Aeron aeron =
                            Aeron.connect(
                                    new Aeron.Context()
                                            .aeronDirectoryName(handle.aeronDirectory().toString())
                                            .driverTimeoutMs(
                                                    settings.driver().driverTimeout().toMillis())
                                            .errorHandler(
                                                    e -> {
                                                        if (e instanceof DriverTimeoutException) {
                                                            driverGone.countDown();
                                                        }
                                                    }))) {
                System.out.println(
                        "ATTACHED clientId=" + aeron.clientId() + " hosts=" + handle.hostsDriver());
                long waitMs = settings.driver().driverTimeout().multipliedBy(3).toMillis() + 60_000;
                if (!driverGone.await(waitMs, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException(
                            "the Aeron client did not report the driver gone within "
                                    + waitMs
                                    + " ms");
                }
            }
            System.out.println("DRIVER GONE");
            String line;
            while ((line = stdin.readLine()) != null && !line.equals("go")) {
                // wait for the starting signal
            }
            if (line == null) {
                return;
            }
            boolean removed =
                    MediaDrivers.removeIfHostGone(
                            settings.aeronDir(), settings.driver().lockTimeout());
            System.out.println("REMOVED " + removed);
        } catch (RuntimeException e) {
            System.out.println("FAILED " + e);
            e.printStackTrace(System.out);
            System.exit(1);
        }
    }
}
