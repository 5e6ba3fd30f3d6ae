package io.troupe.remote.driver;

import io.aeron.Aeron;
import io.troupe.remote.RemoteSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Child JVM main for driver tests: reads {@code troupe.remote} from system properties, starts the
 * driver as configured and prints {@code LAUNCHED} or {@code ATTACHED}, connects an Aeron client
 * and prints {@code CONNECTED}, then stays up until stdin says {@code exit} or ends, when it closes
 * both and prints {@code CLOSED}. With {@code --wait-for-go} it prints {@code READY} first and
 * waits for a {@code go} line, so that a test can start several children at the same moment.
 *
 * <p>Thread safety: a program entry point.
 */
final class DriverChild {
    private DriverChild() {}

    public static void main(String[] args) throws Exception {
        BufferedReader stdin =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        RemoteSettings settings = RemoteSettings.load();
        if (args.length > 0 && args[0].equals("--wait-for-go")) {
            System.out.println("READY");
            String line;
            while ((line = stdin.readLine()) != null && !line.equals("go")) {
                // wait for the starting signal
            }
            if (line == null) {
                return;
            }
        }
        try (DriverHandle handle = MediaDrivers.start(settings)) {
            System.out.println(
                    (handle.hostsDriver() ? "LAUNCHED" : "ATTACHED")
                            + " pid="
                            + ProcessHandle.current().pid()
                            + " driverPid="
                            + handle.driverPid());
            try (Aeron aeron =
                    Aeron.connect(
                            new Aeron.Context()
                                    .aeronDirectoryName(handle.aeronDirectory().toString())
                                    .driverTimeoutMs(
                                            settings.driver().driverTimeout().toMillis()))) {
                System.out.println("CONNECTED clientId=" + aeron.clientId());
                String line;
                while ((line = stdin.readLine()) != null && !line.equals("exit")) {
                    // stay up until told to exit or the test JVM goes away
                }
            }
        } catch (RuntimeException e) {
            System.out.println("FAILED " + e);
            e.printStackTrace(System.out);
            System.exit(1);
        }
        System.out.println("CLOSED");
    }
}
