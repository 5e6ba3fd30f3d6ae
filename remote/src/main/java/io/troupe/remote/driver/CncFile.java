package io.troupe.remote.driver;

import io.aeron.CncFileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Who wrote an Aeron directory's {@code cnc.dat}: the driver's pid and start time, read from the
 * file's metadata with a plain read (no mapping, nothing written).
 *
 * <p>Thread safety: immutable.
 *
 * @param pid the process that runs (or ran) the driver
 * @param startTimestampMs when that driver started, epoch milliseconds
 * @param version the CnC layout version ({@link org.agrona.SemanticVersion}); pid and start time
 *     are only meaningful when its major version is this Aeron's
 */
record CncFile(long pid, long startTimestampMs, int version) {

    /** The identity of the driver in {@code aeronDir}, if its cnc.dat exists and is initialised. */
    static Optional<CncFile> read(Path aeronDir) {
        Path cnc = aeronDir.resolve(CncFileDescriptor.CNC_FILE);
        if (!Files.isRegularFile(cnc, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (FileChannel channel =
                FileChannel.open(cnc, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer bytes = ByteBuffer.allocateDirect(CncFileDescriptor.END_OF_METADATA_OFFSET);
            while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) > 0) {
                // read until the metadata is complete or the file ends
            }
            if (bytes.hasRemaining()) {
                return Optional.empty();
            }
            bytes.clear();
            UnsafeBuffer metadata = CncFileDescriptor.createMetaDataBuffer(bytes);
            int version = metadata.getIntVolatile(CncFileDescriptor.cncVersionOffset(0));
            if (version == 0) {
                return Optional
                        .empty(); // created but not initialised: a launch still running or crashed
            }
            return Optional.of(
                    new CncFile(
                            CncFileDescriptor.pid(metadata),
                            CncFileDescriptor.startTimestampMs(metadata),
                            version));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The marker a Troupe host writes into the lock file for this driver. */
    String marker() {
        return "pid=" + pid + " start=" + startTimestampMs;
    }
}
