package io.troupe.remote.driver;

import io.aeron.CncFileDescriptor;
import io.aeron.ErrorCode;
import io.aeron.driver.Configuration;
import io.aeron.driver.MediaDriver;
import io.aeron.exceptions.RegistrationException;
import io.aeron.logbuffer.LogBufferDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Checks that the file system of an Aeron directory (usually {@code /dev/shm}, a tmpfs: memory) has
 * room before Aeron is asked to fill it. Aeron maps its files and writes them through memory: a
 * driver whose {@code cnc.dat} does not fit faults inside {@code MediaDriver.launch} (the JVM
 * reports {@code InternalError: a fault occurred in a recent unsafe memory access operation}), and
 * a stream whose log does not fit is refused by the driver with {@code insufficient usable
 * storage}. Neither says what to do; these checks do, and callers check before they acquire, so a
 * refusal leaves nothing behind.
 *
 * <p>What is needed: a driver writes {@code cnc.dat} (about 11 MiB with Troupe's settings: its
 * command and broadcast buffers, counters and error log) and a {@code loss-report.dat}; every
 * stream gets a log of 3 x term-length plus a page of metadata, the first time any process
 * publishes to it (Aeron checks the same free space then, even though the log is sparse). The free
 * space is the file system's usable space, which other programs share: a check can pass and a later
 * write still find the space gone, so callers also {@link #explainStorageRefusal} Aeron's own
 * failures.
 *
 * <p>Thread safety: stateless.
 */
public final class FreeSpace {
    private FreeSpace() {}

    /**
     * The bytes of {@code cnc.dat} and {@code loss-report.dat} a driver of {@code context} writes.
     */
    static long driverFilesBytes(MediaDriver.Context context) {
        int values = context.counterValuesBufferLength();
        int buffers =
                context.conductorBufferLength()
                        + context.toClientsBufferLength()
                        + Configuration.countersMetadataBufferLength(values)
                        + values
                        + context.errorBufferLength();
        return (long) CncFileDescriptor.computeCncFileLength(buffers, context.filePageSize())
                + context.lossReportBufferLength();
    }

    /** The bytes of one stream's log with {@code termLength}: 3 terms and a page of metadata. */
    public static long streamBytes(int termLength) {
        return LogBufferDescriptor.computeLogLength(termLength, Configuration.filePageSize());
    }

    /**
     * Checks, before a driver is launched in {@code aeronDir}, that its files fit.
     *
     * @throws DriverException naming the directory, the space free and needed, and the fixes
     */
    static void requireForDriver(Path aeronDir, MediaDriver.Context context, int termLength) {
        require(
                aeronDir,
                driverFilesBytes(context),
                "the media driver's cnc.dat and loss-report.dat",
                termLength);
    }

    /**
     * Checks that one more stream's log (3 x {@code termLength} plus a page) fits in the file
     * system of {@code aeronDir}; call it before adding a publication to a stream that may be new.
     * A publication to a stream another process already publishes to shares that stream's log and
     * needs no room, so this check can refuse a stream that would still have fitted, but only when
     * fewer than 3 terms are free, where the next new stream fails anyway.
     *
     * @param stream what the stream is for, in words (e.g. "the membership stream")
     * @throws DriverException naming the directory, the space free and needed, and the fixes
     */
    public static void requireForStream(Path aeronDir, int termLength, String stream) {
        require(
                aeronDir,
                streamBytes(termLength),
                "the log of " + stream + " (3 x term-length " + termLength + " + a page)",
                termLength);
    }

    /**
     * A clear error for Aeron's own refusal of a stream for lack of space ({@link
     * ErrorCode#STORAGE_SPACE}), or null if {@code t} is something else.
     */
    static DriverException explainStorageRefusal(Throwable t, Path aeronDir, int termLength) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RegistrationException r && r.errorCode() == ErrorCode.STORAGE_SPACE) {
                return notEnough(
                        aeronDir,
                        usable(aeronDir),
                        streamBytes(termLength),
                        "a new stream's log (Aeron: " + r.getMessage() + ")",
                        termLength,
                        r);
            }
            if (c instanceof InternalError
                    && c.getMessage() != null
                    && c.getMessage().contains("unsafe memory access")) {
                return new DriverException(
                        "A write to a memory-mapped Aeron file in "
                                + aeronDir
                                + " faulted ("
                                + c.getMessage()
                                + "): its file system is most likely full (now "
                                + bytes(usable(aeronDir))
                                + " free). "
                                + FIXES.formatted(termLength),
                        c);
            }
        }
        return null;
    }

    private static final String FIXES =
            "Make room: in Docker give the container more shared memory (`docker run --shm-size=256m`;"
                    + " the default is 64 MiB, shared with other programs), or set a smaller"
                    + " troupe.remote.term-length (now %d bytes; each stream takes about 3 x"
                    + " term-length), or point troupe.remote.aeron-dir at a file system with more"
                    + " room.";

    private static void require(Path aeronDir, long needed, String what, int termLength) {
        long free = usable(aeronDir);
        if (free >= 0 && free < needed) {
            throw notEnough(aeronDir, free, needed, what, termLength, null);
        }
    }

    private static DriverException notEnough(
            Path aeronDir, long free, long needed, String what, int termLength, Throwable cause) {
        return new DriverException(
                "Not enough free space in "
                        + aeronDir
                        + " (file system of "
                        + existingAncestor(aeronDir)
                        + "): "
                        + bytes(free)
                        + " free, but "
                        + what
                        + " need "
                        + bytes(needed)
                        + ". "
                        + FIXES.formatted(termLength),
                cause);
    }

    /** Usable bytes of the file system that holds (or will hold) {@code dir}; -1 if unknown. */
    static long usable(Path dir) {
        try {
            return Files.getFileStore(existingAncestor(dir)).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static Path existingAncestor(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p.getParent() != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            p = p.getParent();
        }
        return p;
    }

    static String bytes(long n) {
        if (n < 0) {
            return "an unknown amount";
        }
        return String.format(Locale.ROOT, "%.1f MiB (%,d bytes)", n / (1024.0 * 1024.0), n);
    }
}
