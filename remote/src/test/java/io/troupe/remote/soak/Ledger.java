package io.troupe.remote.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One process incarnation's soak counters, in a memory-mapped file of its own ({@code
 * <dir>/<node>-<incarnation hex>.ledger}). Stores to a {@link MappedByteBuffer} land in the page
 * cache at once, so the counts of a worker killed with SIGKILL survive it and the test JVM reads
 * them afterwards: the accounting stays exact across kills without any message from a dying
 * process.
 *
 * <p>Layout (native byte order, 8-byte aligned longs, so a reader never sees a torn value): a
 * header of {@link Total} counters, the node name and the first unclassified dead-letter reason,
 * then up to {@value #SLOTS} peer slots, one per other incarnation this one sent to, received from,
 * asked or watched, each holding the {@link Pair} counters of that direction of traffic.
 *
 * <p>Thread safety: the writing side is confined to the owning traffic actor (one thread at a time,
 * with Akka's happens-before between messages); readers in other processes take a snapshot with
 * {@link #read}, exact once the writer is quiet or dead.
 */
final class Ledger {
    static final long MAGIC = 0x534f414b4c454447L; // "SOAKLEDG"
    static final int SLOTS = 2048;
    private static final int NAME_OFFSET = 8 * 32;
    private static final int NAME_BYTES = 64;
    private static final int REASON_OFFSET = NAME_OFFSET + NAME_BYTES;
    private static final int REASON_BYTES = 192;
    private static final int HEADER = 1024;
    private static final int SLOT_BYTES = 8 * 24;
    static final int SIZE = HEADER + SLOTS * SLOT_BYTES;

    /** Header counters: one long each, at {@code 8 * ordinal()}. */
    enum Total {
        MAGIC,
        INCARNATION,
        PID,
        STARTED_MILLIS,
        ASKS_SENT,
        ASKS_ANSWERED,
        ASKS_TIMED_OUT,
        ASKS_FAILED,
        ASKS_WRONG_REPLY,
        QUESTIONS_DROPPED,
        ANSWERS_DROPPED,
        OTHER_DEAD_LETTERS,
        QUESTIONS_ANSWERED,
        TARGETS_KNOWN,
        LOOKUPS_FAILED,
        /** Ticks of traffic: before the stop, with at least one target. */
        TICKS,
        /** Copies of the node's own counters (RemoteNode.counter), refreshed every tick. */
        NODE_MSGS_SENT,
        NODE_MSGS_RECEIVED,
        NODE_DEAD_LETTERS,
        NODE_REJECTED_FRAMES,
        NODE_DECODE_FAILURES,
        NODE_BACK_PRESSURE_EVENTS
    }

    /** Why a message went to dead letters, from the reason text the sender's node gave. */
    enum Reason {
        RECEIVER_DOWN("receiver down"),
        UNKNOWN_INCARNATION("incarnation unknown"),
        BACK_PRESSURE_TIMEOUT("back-pressure timeout"),
        QUEUE_FULL("outbound queue full"),
        STREAM_CLOSED("stream closed"),
        OTHER("other");

        final String label;

        Reason(String label) {
            this.label = label;
        }

        static Reason classify(String reason) {
            if (reason == null) {
                return OTHER;
            }
            if (reason.startsWith("node ") && reason.contains(" is down (")) {
                return RECEIVER_DOWN;
            }
            if (reason.startsWith("node incarnation ") && reason.contains("is not known here")) {
                return UNKNOWN_INCARNATION;
            }
            if (reason.contains("did not accept it for")) {
                return BACK_PRESSURE_TIMEOUT;
            }
            if (reason.contains("outbound queue to node") && reason.contains("is full")) {
                return QUEUE_FULL;
            }
            if (reason.contains("the stream to node") && reason.contains("is closed")) {
                return STREAM_CLOSED;
            }
            return OTHER;
        }
    }

    /** Slot counters, one long each at {@code 8 * ordinal()} in the peer's slot. */
    enum Pair {
        PEER_INCARNATION,
        SENT,
        BYTES_SENT,
        RECEIVED,
        LAST_SEQ,
        OUT_OF_ORDER,
        CORRUPT,
        MISDELIVERED,
        DROPPED_AT_RECEIVER,
        TERMINATED_SEEN,
        ASKS_TO,
        ANSWERED_BY,
        TIMED_OUT_TO,
        FAILED_TO,
        LAST_TIMED_OUT_ASKED_MILLIS,
        DROP_RECEIVER_DOWN,
        DROP_UNKNOWN_INCARNATION,
        DROP_BACK_PRESSURE_TIMEOUT,
        DROP_QUEUE_FULL,
        DROP_STREAM_CLOSED,
        DROP_OTHER;

        static Pair drop(Reason r) {
            return values()[DROP_RECEIVER_DOWN.ordinal() + r.ordinal()];
        }
    }

    private final MappedByteBuffer buffer;
    private final Map<Long, Integer> slots = new HashMap<>();
    private int used;

    private Ledger(MappedByteBuffer buffer) {
        this.buffer = buffer;
        buffer.order(ByteOrder.nativeOrder());
    }

    static Path file(Path dir, String node, long incarnation) {
        return dir.resolve(node + "-" + Long.toHexString(incarnation) + ".ledger");
    }

    /** Creates this incarnation's ledger; the mapping lives as long as the process. */
    static Ledger create(Path dir, String node, long incarnation) {
        // Made under a temporary name and renamed when complete, so a reader never sees a file
        // still being sized.
        Path file = file(dir, node, incarnation);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch =
                FileChannel.open(
                        tmp,
                        StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.READ,
                        StandardOpenOption.WRITE)) {
            Ledger l = new Ledger(ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE));
            byte[] name = node.getBytes(StandardCharsets.US_ASCII);
            l.buffer.put(NAME_OFFSET, name, 0, Math.min(name.length, NAME_BYTES - 1));
            l.set(Total.INCARNATION, incarnation);
            l.set(Total.PID, ProcessHandle.current().pid());
            l.set(Total.STARTED_MILLIS, System.currentTimeMillis());
            l.set(Total.MAGIC, MAGIC);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return l;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the soak ledger of " + node + " in " + dir, e);
        }
    }

    void set(Total t, long v) {
        buffer.putLong(8 * t.ordinal(), v);
    }

    void add(Total t, long n) {
        int at = 8 * t.ordinal();
        buffer.putLong(at, buffer.getLong(at) + n);
    }

    long get(Total t) {
        return buffer.getLong(8 * t.ordinal());
    }

    void add(long peer, Pair p, long n) {
        int at = slot(peer) + 8 * p.ordinal();
        buffer.putLong(at, buffer.getLong(at) + n);
    }

    void set(long peer, Pair p, long v) {
        buffer.putLong(slot(peer) + 8 * p.ordinal(), v);
    }

    long get(long peer, Pair p) {
        return buffer.getLong(slot(peer) + 8 * p.ordinal());
    }

    /** Keeps the first reason text that no {@link Reason} matched, for the report. */
    void otherReason(String text) {
        if (buffer.get(REASON_OFFSET) == 0 && text != null) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            buffer.put(REASON_OFFSET, b, 0, Math.min(b.length, REASON_BYTES - 1));
        }
    }

    private int slot(long peer) {
        Integer at = slots.get(peer);
        if (at == null) {
            if (used == SLOTS) {
                throw new IllegalStateException(
                        "soak ledger full: more than "
                                + SLOTS
                                + " peer incarnations; raise Ledger.SLOTS");
            }
            at = HEADER + used++ * SLOT_BYTES;
            buffer.putLong(
                    at, peer); // PEER_INCARNATION first: a reader sees the slot once it is named
            slots.put(peer, at);
        }
        return at;
    }

    /** A snapshot of one ledger file, read by the test JVM. */
    record Snapshot(String node, long[] totals, Map<Long, long[]> peers, String otherReason) {
        long total(Total t) {
            return totals[t.ordinal()];
        }

        long incarnation() {
            return total(Total.INCARNATION);
        }

        long pid() {
            return total(Total.PID);
        }

        /** A pair counter towards {@code peer}, 0 if this incarnation never dealt with it. */
        long pair(long peer, Pair p) {
            long[] v = peers.get(peer);
            return v == null ? 0 : v[p.ordinal()];
        }

        long sum(Pair p) {
            return peers.values().stream().mapToLong(v -> v[p.ordinal()]).sum();
        }
    }

    static Snapshot read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, SIZE);
            b.order(ByteOrder.nativeOrder());
            long[] totals = new long[Total.values().length];
            for (int i = 0; i < totals.length; i++) {
                totals[i] = b.getLong(8 * i);
            }
            Map<Long, long[]> peers = new HashMap<>();
            for (int s = 0; s < SLOTS; s++) {
                int at = HEADER + s * SLOT_BYTES;
                long peer = b.getLong(at);
                if (peer == 0) {
                    break;
                }
                long[] v = new long[Pair.values().length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = b.getLong(at + 8 * i);
                }
                peers.put(peer, v);
            }
            return new Snapshot(
                    text(b, NAME_OFFSET, NAME_BYTES),
                    totals,
                    peers,
                    text(b, REASON_OFFSET, REASON_BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read soak ledger " + file, e);
        }
    }

    private static String text(MappedByteBuffer b, int offset, int max) {
        byte[] bytes = new byte[max];
        b.get(offset, bytes);
        int n = 0;
        while (n < max && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    /** Every ledger in {@code dir}, by incarnation. */
    static Map<Long, Snapshot> readAll(Path dir) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".ledger")).forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list soak ledgers in " + dir, e);
        }
        Map<Long, Snapshot> all = new HashMap<>();
        for (Path f : files) {
            Snapshot s = read(f);
            if (s.total(Total.MAGIC) == MAGIC) {
                all.put(s.incarnation(), s);
            }
        }
        return all;
    }
}
