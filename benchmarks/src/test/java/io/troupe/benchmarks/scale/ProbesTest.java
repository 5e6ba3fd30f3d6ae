package io.troupe.benchmarks.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.benchmarks.scenarios.ScratchAeronDir;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The two probes the memory measure rests on: /proc/PID/status and du's allocated sizes. */
class ProbesTest {

    @Test
    void shouldReadRssAsTheSumOfItsPartsWhenGivenThisProcess() {
        ProcessMemory m = ProcessMemory.of(ProcessHandle.current().pid());
        assertTrue(m.rssBytes() > 10L * 1024 * 1024, "a JVM holds more than 10 MiB: " + m);
        assertEquals(m.rssBytes(), m.anonBytes() + m.fileBytes() + m.shmemBytes(), m.toString());
    }

    @Test
    void shouldNameTheFileWhenTheProcessDoesNotExist() {
        UncheckedIOException e =
                assertThrows(UncheckedIOException.class, () -> ProcessMemory.of(Integer.MAX_VALUE));
        assertTrue(
                e.getMessage().contains("/proc/" + Integer.MAX_VALUE + "/status"), e.getMessage());
    }

    @Test
    void shouldCountAllocatedBelowApparentWhenAFileIsSparse() throws Exception {
        try (ScratchAeronDir dir = ScratchAeronDir.forScale()) {
            Files.createDirectories(dir.path().resolve("sub"));
            try (RandomAccessFile sparse =
                            new RandomAccessFile(
                                    dir.path().resolve("sub/sparse.logbuffer").toFile(), "rw");
                    RandomAccessFile full =
                            new RandomAccessFile(dir.path().resolve("cnc.dat").toFile(), "rw")) {
                sparse.setLength(8L * 1024 * 1024);
                sparse.write(1);
                full.write(new byte[1024 * 1024]);
            }
            ShmUsage usage = ShmUsage.of(dir.path());
            assertEquals(2, usage.files().size(), usage.toString());
            assertEquals(8L * 1024 * 1024 + 1024 * 1024, usage.apparentBytes(), usage.toString());
            assertTrue(
                    usage.allocatedBytesOf(".logbuffer") > 0
                            && usage.allocatedBytesOf(".logbuffer") <= 64 * 1024,
                    "one written page of a sparse 8 MiB file: " + usage);
            assertTrue(
                    usage.allocatedBytesOf("cnc.dat") >= 1024 * 1024,
                    "a written 1 MiB file is allocated: " + usage);
            assertEquals(1, usage.countOf(".logbuffer"));
        }
    }
}
