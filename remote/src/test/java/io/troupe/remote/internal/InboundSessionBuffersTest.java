package io.troupe.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import io.aeron.Aeron;
import io.aeron.AeronCounters;
import io.aeron.driver.status.StreamCounter;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.testsupport.TestAeronDir;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Aeron reassembles a fragmented message in a buffer per publisher session, which it keeps until
 * told that the session is gone. Every peer restart, and every publication a hostile process opens,
 * is a new session; so a node must free a session's buffer once its image is gone, or a process
 * that opens publications, sends one large frame each and closes them grows the node's heap without
 * bound (the buffer is at least as large as the session's largest message: up to Aeron's 16 MiB
 * message limit, with a term of 128 MiB or more).
 */
class InboundSessionBuffersTest {
    private static final int SESSIONS = 24;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();
    private ActorTestKit kit;

    @AfterEach
    void shutdown() {
        if (kit != null) {
            kit.shutdownTestKit();
        }
    }

    @Test
    void shouldFreeTheReassemblyBufferOfAPublisherSessionOnceItIsGone() {
        kit = ActorTestKit.create("target", aeronDir.config("node-name", "target"));
        RemoteNode target = RemoteNode.get(kit.system());
        long baseline = usedHeapAfterGc();
        long frameBytes = 0;
        for (int i = 0; i < SESSIONS; i++) {
            try (RawFrames raw =
                    RawFrames.open(
                            aeronDir.path(),
                            "target",
                            target.incarnation(),
                            "aeron:ipc?term-length=16m|linger=0",
                            WAIT)) {
                byte[] frame =
                        new byte[raw.maxFrameLength()]; // all zeros: version 0, rejected once
                // reassembled
                frameBytes = frame.length;
                raw.awaitConsumed(raw.offer(frame, WAIT), WAIT);
            }
        }
        assertEquals(SESSIONS, target.counter("rejected-frames"));
        awaitNoImages(target.incarnation());

        long allowed =
                4 * frameBytes; // what a few live sessions may hold; the 24 gone ones held 24
        // x that
        long deadline = System.nanoTime() + WAIT.toNanos();
        long grown;
        do {
            grown = usedHeapAfterGc() - baseline;
        } while (grown > allowed && System.nanoTime() - deadline < 0);
        assertTrue(
                grown <= allowed,
                "the heap grew by "
                        + grown
                        + " bytes after "
                        + SESSIONS
                        + " publisher sessions that are gone"
                        + " each sent one "
                        + frameBytes
                        + "-byte frame (allowed "
                        + allowed
                        + ")");
    }

    /**
     * Waits until the target's subscription has no image left on its inbound stream (every raw
     * session is gone).
     */
    private void awaitNoImages(long incarnation) {
        int stream = RawFrames.streamId("target", incarnation);
        try (Aeron aeron =
                Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir.path().toString()))) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                int[] images = {0};
                aeron.countersReader()
                        .forEach(
                                (id, typeId, key, label) -> {
                                    if (typeId == AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID
                                            && key.getInt(StreamCounter.STREAM_ID_OFFSET)
                                                    == stream) {
                                        images[0]++;
                                    }
                                });
                if (images[0] == 0) {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError(
                            images[0] + " images still open on the target's stream after " + WAIT);
                }
                LockSupport.parkNanos(1_000_000); // poll, with a deadline
            }
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
