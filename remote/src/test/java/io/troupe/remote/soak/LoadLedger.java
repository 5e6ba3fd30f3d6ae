package io.troupe.remote.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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
 * The load mode's ledger: what one role (sender or receiver) of one process incarnation did, per
 * peer incarnation, in a memory-mapped file of its own ({@code <dir>/<node>-<incarnation hex>.send}
 * or {@code .recv}) that survives SIGKILL, as {@link Ledger} does for the random soak.
 *
 * <p>Each peer slot holds counters and a list of sequence-number ranges, so that the accounting is
 * per message, not only per count:
 *
 * <ul>
 *   <li>the <b>sender</b> counts the messages it handed to the peer's ref ({@link Pair#COUNT}: the
 *       pair's sequence numbers are exactly {@code 1..COUNT}, as each is counted before its tell),
 *       dead letters by reason ({@link Dead}, refusals included) and the ranges of the sequence
 *       numbers that were dead-lettered; a sequence number dead-lettered twice, or one it never
 *       handed, counts as {@link Pair#DUPLICATE_OUTCOMES}. Refused strays are only counted ({@link
 *       Pair#STRAYS}): their places are known;
 *   <li>the <b>receiver</b> counts what it processed, the highest sequence number ({@link
 *       Pair#LAST_SEQ}), every arrival at or below it ({@link Pair#OUT_OF_ORDER}: a duplicate or a
 *       reordering) and the ranges of the sequence numbers it never saw below its highest (gaps),
 *       apart from single gaps at a stray's place.
 * </ul>
 *
 * {@link LoadAccounting} then checks, per pair, that the receiver's gaps are exactly the sender's
 * dead letters below the receiver's highest, and that what lies above it and was not dead-lettered
 * (the tail, offered to the stream but never processed) is empty unless one end was killed.
 *
 * <p>Layout (native byte order, 8-byte aligned longs; the test reads it once its writer is quiet or
 * dead): a header of {@link Total} counters, the node name and the first unclassified dead-letter
 * reason, then up to {@value #SLOTS} peer slots of {@link Pair} counters followed by {@value
 * #RANGES} ranges ({@code from, to}, inclusive; a sender's may span a stray's place). A range is
 * written before the count that makes it visible.
 *
 * <p>Thread safety: the writing side is confined to one actor (one thread at a time, with Akka's
 * happens-before between messages); readers in other processes take a snapshot with {@link #read},
 * exact once the writer is quiet or dead.
 */
final class LoadLedger {
    static final long MAGIC = 0x534f414b4c4f4144L; // "SOAKLOAD"
    static final int SLOTS = 512;
    static final int RANGES = 256;
    private static final int NAME_OFFSET = 8 * 32;
    private static final int NAME_BYTES = 64;
    private static final int REASON_OFFSET = NAME_OFFSET + NAME_BYTES;
    private static final int REASON_BYTES = 192;
    private static final int HEADER = 1024;
    private static final int PAIR_LONGS = 24;
    private static final int SLOT_BYTES = 8 * (PAIR_LONGS + 2 * RANGES);
    static final int SIZE = HEADER + SLOTS * SLOT_BYTES;

    enum Role {
        SENDER(".send"),
        RECEIVER(".recv");

        final String suffix;

        Role(String suffix) {
            this.suffix = suffix;
        }
    }

    /** Header counters: one long each, at {@code 8 * ordinal()}. */
    enum Total {
        MAGIC,
        INCARNATION,
        PID,
        STARTED_MILLIS,
        ROLE,
        /** Sender: peers it sends to now. */
        TARGETS_KNOWN,
        /** Sender: 1 once it saw the stop flag (it hands nothing more). */
        STOPPED,
        LOOKUPS_FAILED,
        /** Dead letters of other messages than load traffic. */
        OTHER_DEAD_LETTERS,
        TICKS,
        PUMPS,
        /** Copies of the node's own counters (RemoteNode.counter), refreshed every tick. */
        NODE_MSGS_SENT,
        NODE_MSGS_RECEIVED,
        NODE_DEAD_LETTERS,
        NODE_REFUSED_AT_SENDER,
        NODE_REJECTED_FRAMES,
        NODE_REJECTED_MESSAGES,
        NODE_DECODE_FAILURES,
        NODE_BACK_PRESSURE_EVENTS
    }

    /** Why the sender's node dead-lettered a message, from the reason text it gave. */
    enum Dead {
        RECEIVER_DOWN("down"),
        UNKNOWN_INCARNATION("unkn"),
        BACK_PRESSURE_TIMEOUT("bp-to"),
        QUEUE_FULL("full"),
        STREAM_CLOSED("closd"),
        REFUSED("refus"),
        OTHER("other");

        final String label;

        Dead(String label) {
            this.label = label;
        }

        static Dead classify(String reason) {
            if (reason != null && reason.startsWith("refused at the sender")) {
                return REFUSED;
            }
            return valueOf(Ledger.Reason.classify(reason).name());
        }
    }

    /** Slot counters, one long each at {@code 8 * ordinal()} in the peer's slot. */
    enum Pair {
        PEER_INCARNATION,
        /** Sender: messages handed to the ref (= the last sequence number). Receiver: processed. */
        COUNT,
        /** Receiver: the highest sequence number processed. */
        LAST_SEQ,
        OUT_OF_ORDER,
        MISDELIVERED,
        /** Receiver: {@link SoakProtocol.Stray}s that arrived (the sender should have refused). */
        STRAYS_ARRIVED,
        /** Receiver: messages from this peer that its own node dead-lettered. */
        DROPPED_AT_RECEIVER,
        /** Sender: dead letters for a sequence number already dead-lettered, or never handed. */
        DUPLICATE_OUTCOMES,
        /** Ranges in use. */
        RANGES,
        /** Sequence numbers that did not fit in the ranges (the per-message check is then off). */
        RANGE_OVERFLOW,
        /**
         * Sender: strays refused (their sequence numbers, every {@link LoadSender#STRAY_EVERY}th,
         * are known and take no range). Receiver: single-number gaps at a stray's place.
         */
        STRAYS,
        DEAD_RECEIVER_DOWN,
        DEAD_UNKNOWN_INCARNATION,
        DEAD_BACK_PRESSURE_TIMEOUT,
        DEAD_QUEUE_FULL,
        DEAD_STREAM_CLOSED,
        DEAD_REFUSED,
        DEAD_OTHER;

        static Pair dead(Dead d) {
            return values()[DEAD_RECEIVER_DOWN.ordinal() + d.ordinal()];
        }
    }

    private final MappedByteBuffer buffer;
    private final Map<Long, Integer> slots = new HashMap<>();
    private int used;
    private long lastPeer;
    private int lastSlot = -1;

    private LoadLedger(MappedByteBuffer buffer) {
        this.buffer = buffer;
        buffer.order(ByteOrder.nativeOrder());
    }

    static Path file(Path dir, String node, long incarnation, Role role) {
        return dir.resolve(node + "-" + Long.toHexString(incarnation) + role.suffix);
    }

    /**
     * Creates this incarnation's ledger of {@code role}; the mapping lives as long as the process.
     */
    static LoadLedger create(Path dir, String node, long incarnation, Role role) {
        // Made under a temporary name and renamed when complete, so a reader never sees a file
        // still being sized.
        Path file = file(dir, node, incarnation, role);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch =
                FileChannel.open(
                        tmp,
                        StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.READ,
                        StandardOpenOption.WRITE)) {
            LoadLedger l = new LoadLedger(ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE));
            byte[] name = node.getBytes(StandardCharsets.US_ASCII);
            l.buffer.put(NAME_OFFSET, name, 0, Math.min(name.length, NAME_BYTES - 1));
            l.set(Total.INCARNATION, incarnation);
            l.set(Total.PID, ProcessHandle.current().pid());
            l.set(Total.STARTED_MILLIS, System.currentTimeMillis());
            l.set(Total.ROLE, role.ordinal());
            l.set(Total.MAGIC, MAGIC);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return l;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the load ledger (" + role + ") of " + node + " in " + dir, e);
        }
    }

    void set(Total t, long v) {
        buffer.putLong(8 * t.ordinal(), v);
    }

    void add(Total t, long n) {
        int at = 8 * t.ordinal();
        buffer.putLong(at, buffer.getLong(at) + n);
    }

    /** Names {@code peer}'s slot (a reader then knows this incarnation dealt with it). */
    void know(long peer) {
        slot(peer);
    }

    /**
     * Sender: counts the next message handed to {@code peer}'s ref; returns its sequence number.
     */
    long handed(long peer) {
        int at = slot(peer) + 8 * Pair.COUNT.ordinal();
        long seq = buffer.getLong(at) + 1;
        buffer.putLong(at, seq);
        return seq;
    }

    /**
     * Sender: message {@code seq} to {@code peer} went to dead letters for {@code why}. Adds it to
     * the ranges (extending a neighbour when it can), unless it is already there or was never
     * handed: then it is a second outcome for one message, counted as such.
     */
    void dead(long peer, long seq, Dead why) {
        int slot = slot(peer);
        if (seq < 1 || seq > get(slot, Pair.COUNT)) {
            add(slot, Pair.DUPLICATE_OUTCOMES, 1);
            return;
        }
        if (why == Dead.REFUSED && isStray(seq)) {
            add(slot, Pair.STRAYS, 1);
            add(slot, Pair.dead(why), 1);
            return;
        }
        int n = (int) get(slot, Pair.RANGES);
        int fits = -1;
        boolean up = false;
        for (int i = n - 1; i >= 0; i--) {
            long from = rangeFrom(slot, i);
            long to = rangeTo(slot, i);
            if (seq >= from && seq <= to) {
                add(slot, Pair.DUPLICATE_OUTCOMES, 1);
                return;
            }
            if (fits < 0 && (follows(to, seq) || follows(seq, from))) {
                fits = i;
                up = follows(to, seq);
            }
        }
        if (fits >= 0) {
            buffer.putLong(rangeAt(slot, fits) + (up ? 8 : 0), seq);
        } else {
            addRange(slot, seq, seq);
        }
        add(slot, Pair.dead(why), 1);
    }

    /**
     * Receiver: processed message {@code seq} from {@code peer}; a jump past the next expected
     * number records the skipped ones as a gap.
     */
    void received(long peer, long seq, boolean misdelivered, boolean stray) {
        int slot = slot(peer);
        add(slot, Pair.COUNT, 1);
        long last = get(slot, Pair.LAST_SEQ);
        if (seq <= last) {
            add(slot, Pair.OUT_OF_ORDER, 1);
        } else {
            if (seq == last + 2 && isStray(last + 1)) {
                add(slot, Pair.STRAYS, 1); // the stray the sender refused
            } else if (seq > last + 1) {
                addRange(slot, last + 1, seq - 1);
            }
            buffer.putLong(slot + 8 * Pair.LAST_SEQ.ordinal(), seq);
        }
        if (misdelivered) {
            add(slot, Pair.MISDELIVERED, 1);
        }
        if (stray) {
            add(slot, Pair.STRAYS_ARRIVED, 1);
        }
    }

    /**
     * Whether {@code b} comes right after {@code a} among the numbers that can be dead-lettered for
     * another reason than a stray's refusal: a range of them may span a stray's place (the stray is
     * refused at once while its neighbours wait in the outbound queue), or a long run of
     * back-pressure timeouts would take a range per stray.
     */
    private static boolean follows(long a, long b) {
        return b == a + 1 || (b == a + 2 && isStray(a + 1));
    }

    /** Whether {@code seq} is a stray's place in every pair's sequence. */
    static boolean isStray(long seq) {
        return seq % LoadSender.STRAY_EVERY == 0;
    }

    /** Receiver: the node dead-lettered a message from {@code peer} after it arrived. */
    void droppedAtReceiver(long peer) {
        add(slot(peer), Pair.DROPPED_AT_RECEIVER, 1);
    }

    /** Keeps the first reason text that no {@link Dead} matched, for the report. */
    void otherReason(String text) {
        if (buffer.get(REASON_OFFSET) == 0 && text != null) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            buffer.put(REASON_OFFSET, b, 0, Math.min(b.length, REASON_BYTES - 1));
        }
    }

    private void addRange(int slot, long from, long to) {
        int n = (int) get(slot, Pair.RANGES);
        if (n == RANGES) {
            add(slot, Pair.RANGE_OVERFLOW, to - from + 1);
            return;
        }
        int at = rangeAt(slot, n);
        buffer.putLong(at, from);
        buffer.putLong(at + 8, to);
        buffer.putLong(slot + 8 * Pair.RANGES.ordinal(), n + 1); // visible once complete
    }

    private long rangeFrom(int slot, int i) {
        return buffer.getLong(rangeAt(slot, i));
    }

    private long rangeTo(int slot, int i) {
        return buffer.getLong(rangeAt(slot, i) + 8);
    }

    private static int rangeAt(int slot, int i) {
        return slot + 8 * PAIR_LONGS + 16 * i;
    }

    private long get(int slot, Pair p) {
        return buffer.getLong(slot + 8 * p.ordinal());
    }

    private void add(int slot, Pair p, long n) {
        int at = slot + 8 * p.ordinal();
        buffer.putLong(at, buffer.getLong(at) + n);
    }

    private int slot(long peer) {
        if (peer == lastPeer && lastSlot >= 0) {
            return lastSlot;
        }
        Integer at = slots.get(peer);
        if (at == null) {
            if (used == SLOTS) {
                throw new IllegalStateException(
                        "load ledger full: more than "
                                + SLOTS
                                + " peer incarnations; raise LoadLedger.SLOTS");
            }
            at = HEADER + used++ * SLOT_BYTES;
            // PEER_INCARNATION first: a reader sees the slot once it is named
            buffer.putLong(at, peer);
            slots.put(peer, at);
        }
        lastPeer = peer;
        lastSlot = at;
        return at;
    }

    /** One peer slot as read: its counters and its ranges, in the order they were made. */
    record Slot(long[] counters, List<long[]> ranges) {
        long get(Pair p) {
            return counters[p.ordinal()];
        }

        long dead() {
            long n = 0;
            for (Dead d : Dead.values()) {
                n += get(Pair.dead(d));
            }
            return n;
        }
    }

    /** A snapshot of one ledger file, read by the test JVM. */
    record Snapshot(
            String node, Role role, long[] totals, Map<Long, Slot> peers, String otherReason) {
        long total(Total t) {
            return totals[t.ordinal()];
        }

        long incarnation() {
            return total(Total.INCARNATION);
        }

        /** This incarnation's slot for {@code peer}, or an empty one if it never dealt with it. */
        Slot slot(long peer) {
            Slot s = peers.get(peer);
            return s != null ? s : new Slot(new long[Pair.values().length], List.of());
        }

        long sum(Pair p) {
            return peers.values().stream().mapToLong(s -> s.get(p)).sum();
        }
    }

    /**
     * Reads one ledger with positional reads of its header and used slots only: the test polls
     * every ledger many times a second, and mapping each (megabytes, unmapped only by a GC) would
     * cost the test JVM, which also carries a quarter of the traffic.
     */
    static Snapshot read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = readAt(ch, 0, HEADER);
            long[] totals = new long[Total.values().length];
            for (int i = 0; i < totals.length; i++) {
                totals[i] = header.getLong(8 * i);
            }
            Map<Long, Slot> peers = new HashMap<>();
            for (int s = 0; s < SLOTS; s++) {
                int at = HEADER + s * SLOT_BYTES;
                ByteBuffer slot = readAt(ch, at, 8 * PAIR_LONGS);
                long peer = slot.getLong(0);
                if (peer == 0) {
                    break;
                }
                long[] v = new long[Pair.values().length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = slot.getLong(8 * i);
                }
                List<long[]> ranges = new ArrayList<>();
                int n = (int) Math.min(v[Pair.RANGES.ordinal()], RANGES);
                if (n > 0) {
                    ByteBuffer r = readAt(ch, rangeAt(at, 0), 16 * n);
                    for (int i = 0; i < n; i++) {
                        ranges.add(new long[] {r.getLong(16 * i), r.getLong(16 * i + 8)});
                    }
                }
                peers.put(peer, new Slot(v, ranges));
            }
            return new Snapshot(
                    text(header, NAME_OFFSET, NAME_BYTES),
                    Role.values()[(int) totals[Total.ROLE.ordinal()]],
                    totals,
                    peers,
                    text(header, REASON_OFFSET, REASON_BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read load ledger " + file, e);
        }
    }

    private static ByteBuffer readAt(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new IOException(
                        "the ledger ends at " + (position + b.position()) + ", expected " + SIZE);
            }
        }
        return b;
    }

    private static String text(ByteBuffer b, int offset, int max) {
        byte[] bytes = new byte[max];
        b.get(offset, bytes);
        int n = 0;
        while (n < max && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    /** Every ledger of {@code role} in {@code dir}, by incarnation. */
    static Map<Long, Snapshot> readAll(Path dir, Role role) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(role.suffix)).forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list load ledgers in " + dir, e);
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
