package io.troupe.remote.driver;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Child JVM main for lock-file tests: opens the lock file named by its argument and prints {@code
 * OPENED}, takes the launch lock (waiting up to 30 s) and prints {@code LOCKED}, holds it until
 * stdin says {@code exit} or ends, then prints {@code UNLOCKED}.
 *
 * <p>Thread safety: a program entry point.
 */
final class LockChild {
    private LockChild() {}

    public static void main(String[] args) throws Exception {
        BufferedReader stdin =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        DirectoryLock lock = DirectoryLock.open(Path.of(args[0]));
        try {
            System.out.println("OPENED");
            try (DirectoryLock.Held held = lock.lockLaunch(Duration.ofSeconds(30))) {
                System.out.println("LOCKED");
                String line;
                while ((line = stdin.readLine()) != null && !line.equals("exit")) {
                    // hold the lock until told to exit or the test JVM goes away
                }
            }
        } catch (RuntimeException e) {
            System.out.println("FAILED " + e);
            e.printStackTrace(System.out);
            System.exit(1);
        } finally {
            lock.release();
        }
        System.out.println("UNLOCKED");
    }
}
