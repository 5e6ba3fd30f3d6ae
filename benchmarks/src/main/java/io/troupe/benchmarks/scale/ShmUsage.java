package io.troupe.benchmarks.scale;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What an Aeron directory costs: both sizes of every file, as {@code du} sees them. The
 * <em>allocated</em> size (blocks the file system holds: on tmpfs, memory really taken) is the
 * honest figure; the <em>apparent</em> size (file lengths) overstates it where files are sparse,
 * and Aeron's log buffers may be (it neither pre-touches nor fills them unless told to).
 *
 * <p>Java's file attributes give only the apparent size, so the allocated one comes from {@code du
 * -a -B1} (GNU coreutils or busybox); the directory must stay still while it runs.
 *
 * <p>Thread safety: immutable.
 *
 * @param files one entry per regular file, path relative to the directory
 */
public record ShmUsage(List<FileUsage> files) {
    private static final Duration DU_TIMEOUT = Duration.ofSeconds(30);

    public ShmUsage {
        files = List.copyOf(files);
    }

    /** One file's two sizes. */
    public record FileUsage(String path, long allocatedBytes, long apparentBytes) {}

    public long allocatedBytes() {
        return files.stream().mapToLong(FileUsage::allocatedBytes).sum();
    }

    public long apparentBytes() {
        return files.stream().mapToLong(FileUsage::apparentBytes).sum();
    }

    /**
     * Allocated bytes of the files whose path contains {@code part}, e.g. {@code cnc.dat} or {@code
     * .logbuffer}.
     */
    public long allocatedBytesOf(String part) {
        return files.stream()
                .filter(f -> f.path().contains(part))
                .mapToLong(FileUsage::allocatedBytes)
                .sum();
    }

    public long apparentBytesOf(String part) {
        return files.stream()
                .filter(f -> f.path().contains(part))
                .mapToLong(FileUsage::apparentBytes)
                .sum();
    }

    public long countOf(String part) {
        return files.stream().filter(f -> f.path().contains(part)).count();
    }

    /** Measures every regular file under {@code dir}. */
    static ShmUsage of(Path dir) {
        Map<Path, Long> allocated = allocated(dir);
        List<FileUsage> result = new ArrayList<>();
        List<Path> paths;
        try (var walk = Files.walk(dir)) {
            paths = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the Aeron directory " + dir, e);
        }
        for (Path p : paths) {
            Long blocks = allocated.get(p);
            if (blocks == null) {
                throw new IllegalStateException(
                        "du did not list "
                                + p
                                + " (it listed "
                                + allocated.keySet()
                                + "): did the directory change while it was measured?");
            }
            try {
                result.add(new FileUsage(dir.relativize(p).toString(), blocks, Files.size(p)));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the size of " + p, e);
            }
        }
        return new ShmUsage(result);
    }

    /**
     * {@code du -a -B1 DIR}: the bytes of the blocks each file and directory under {@code dir}
     * holds.
     */
    private static Map<Path, Long> allocated(Path dir) {
        List<String> command = List.of("du", "-a", "-B1", dir.toString());
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            List<String> lines;
            try (BufferedReader r =
                    new BufferedReader(
                            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                lines = r.lines().toList();
            }
            if (!p.waitFor(DU_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(
                        "'"
                                + String.join(" ", command)
                                + "' did not finish within "
                                + DU_TIMEOUT.toSeconds()
                                + " s");
            }
            Map<Path, Long> sizes = new HashMap<>();
            for (String line : lines) {
                int tab = line.indexOf('\t');
                if (p.exitValue() != 0 || tab < 1 || !line.substring(0, tab).matches("\\d+")) {
                    throw new IllegalStateException(
                            "'"
                                    + String.join(" ", command)
                                    + "' failed (exit "
                                    + p.exitValue()
                                    + "): "
                                    + String.join("\n", lines)
                                    + "; the allocated size of /dev/shm files needs a du that takes -a -B1 "
                                    + "(GNU coreutils or busybox)");
                }
                sizes.put(Path.of(line.substring(tab + 1)), Long.parseLong(line.substring(0, tab)));
            }
            return sizes;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot run '" + String.join(" ", command) + "': is du on the PATH?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running du on " + dir, e);
        }
    }
}
