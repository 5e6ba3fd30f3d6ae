package io.troupe.benchmarks.scale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One process's resident memory as Linux reports it in {@code /proc/<pid>/status}: the resident set
 * ({@code VmRSS}) and its three parts, anonymous memory (heap, stacks, JIT code, malloc),
 * file-backed pages (the JDK's and the jars' mapped files) and shared memory ({@code RssShmem}:
 * here mostly Aeron's {@code /dev/shm} files the process has touched, which every process that maps
 * them counts again).
 *
 * <p>Thread safety: immutable.
 *
 * @param rssBytes {@code VmRSS}
 * @param anonBytes {@code RssAnon}
 * @param fileBytes {@code RssFile}
 * @param shmemBytes {@code RssShmem}
 */
public record ProcessMemory(long rssBytes, long anonBytes, long fileBytes, long shmemBytes) {

    /**
     * Reads {@code /proc/<pid>/status}; fails, naming the file, where it does not exist (not Linux,
     * or the process is gone).
     */
    static ProcessMemory of(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        List<String> lines;
        try {
            lines = Files.readAllLines(status);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot read "
                            + status
                            + ": memory is measured on Linux only, "
                            + "of a process that is still running",
                    e);
        }
        return new ProcessMemory(
                field(lines, "VmRSS", status),
                field(lines, "RssAnon", status),
                field(lines, "RssFile", status),
                field(lines, "RssShmem", status));
    }

    /** A field such as {@code VmRSS: 123456 kB}, in bytes. */
    private static long field(List<String> lines, String name, Path file) {
        for (String line : lines) {
            if (line.startsWith(name + ":")) {
                String[] parts = line.substring(name.length() + 1).trim().split("\\s+");
                if (parts.length != 2 || !parts[1].equals("kB")) {
                    throw new IllegalStateException(
                            "Unexpected line in "
                                    + file
                                    + ": '"
                                    + line
                                    + "' (expected '"
                                    + name
                                    + ": <n> kB')");
                }
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        throw new IllegalStateException(
                file + " has no " + name + " line: a kernel older than 4.5?");
    }
}
