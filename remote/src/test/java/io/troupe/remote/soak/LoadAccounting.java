package io.troupe.remote.soak;

import io.troupe.remote.soak.LoadLedger.Dead;
import io.troupe.remote.soak.LoadLedger.Pair;
import io.troupe.remote.soak.LoadLedger.Slot;
import io.troupe.remote.soak.LoadLedger.Snapshot;
import io.troupe.remote.soak.LoadLedger.Total;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Adds up the load mode's {@link LoadLedger}s after a run, per message where it can, and lists what
 * does not add up.
 *
 * <p>For every ordered pair of incarnations (sender S, receiver R), with {@code H} the messages S
 * handed to R's ref (sequence numbers {@code 1..H}), {@code D} the sequence numbers S's node
 * dead-lettered (refusals included), {@code L} the highest one R processed and {@code G} the ones R
 * never saw below {@code L}:
 *
 * <ul>
 *   <li>R saw nothing twice or out of order, nothing meant for another incarnation, no stray, and
 *       nothing above {@code H}; S dead-lettered no message twice;
 *   <li>below {@code L}, {@code G = D} exactly: every message R missed was dead-lettered at S (else
 *       it was lost silently), and none that S dead-lettered also reached R;
 *   <li>above {@code L}, the tail {@code (L, H] \ D} was handed, not dead-lettered, not processed:
 *       it must be empty while both live. If R was killed, it is "in flight when its receiver was
 *       killed" (offered into R's stream or waiting in R's mailbox), and the sum over R's senders
 *       is bounded by what R's stream and mailbox could hold ({@link Bounds#inFlight}). If S was
 *       killed, it is "lost with its killed sender" (in S's outbound queue, or in R's stream when R
 *       had already declared S down), as are missing numbers S had not yet recorded as dead
 *       letters, bounded per pair by {@link Bounds#withSender}.
 * </ul>
 *
 * Per sender node that lives at the end, its node's counters agree with the ledgers: {@code
 * refused-at-sender} equals the refusals S recorded, and {@code msgs-sent} (which also counts
 * control frames such as lookups) is at least what S handed minus what it dead-lettered, and at
 * most {@link #CONTROL_FRAMES} more.
 *
 * <p>Thread safety: not thread-safe; built and read by the test thread.
 */
final class LoadAccounting {
    /** Most control frames (lookups, replies) a node may count in msgs-sent beside load traffic. */
    static final long CONTROL_FRAMES = 10_000;

    /**
     * The most messages a kill can account for as lost: {@code inFlight} per killed receiver (all
     * its senders together), {@code withSender} per pair whose sender was killed.
     */
    record Bounds(long inFlight, long withSender) {
        /**
         * @param termLength the IPC term length: a publication runs at most this far ahead of its
         *     subscriber
         * @param minMessageBytes the fewest bytes one message takes in a stream (a batch record) or
         *     an outbound queue
         * @param mailboxLimit {@code inbound-mailbox-limit}: what may wait in R's mailbox
         * @param outboundQueueBytes {@code outbound-queue-bytes}: what may wait at S for one peer
         */
        static Bounds of(
                long termLength, long minMessageBytes, long mailboxLimit, long outboundQueueBytes) {
            long stream = termLength / minMessageBytes;
            long frameSlack = 256; // the frame that took a mailbox over its limit
            return new Bounds(
                    stream + mailboxLimit + frameSlack,
                    stream + outboundQueueBytes / minMessageBytes + frameSlack);
        }
    }

    /** Per node name, summed over its incarnations. */
    static final class Row {
        final String node;
        int incarnations;
        long handed;
        long received;
        final long[] dead = new long[Dead.values().length];
        long lostInFlightAtKill;
        long lostWithKilledSender;

        Row(String node) {
            this.node = node;
        }
    }

    final Map<String, Row> rows = new TreeMap<>();
    final List<String> violations = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    /**
     * Pairs with dead letters (other than the strays) or a tail: what happened to them, those where
     * neither end was killed first.
     */
    final List<String> details = new ArrayList<>();

    private int livePairs;

    final Bounds bounds;
    long handed;
    long received;
    final long[] dead = new long[Dead.values().length];
    long lostInFlightAtKill;
    long lostWithKilledSender;

    /**
     * Dead letters as listed by sequence number (the per-reason counts can differ by one from a
     * sender killed between the two writes).
     */
    long deadLettered;

    long pairs;
    long largestInFlight;
    long largestWithSender;

    /**
     * @param senders sender ledgers by incarnation, read after the run went quiet
     * @param receivers receiver ledgers by incarnation
     * @param killed the incarnations the test killed
     */
    LoadAccounting(
            Map<Long, Snapshot> senders,
            Map<Long, Snapshot> receivers,
            Set<Long> killed,
            Bounds bounds) {
        this.bounds = bounds;
        Map<Long, Long> inFlight = new HashMap<>();
        List<Snapshot> ordered = new ArrayList<>(senders.values());
        ordered.sort(Comparator.comparingLong(s -> s.total(Total.STARTED_MILLIS)));
        for (Snapshot s : ordered) {
            Row row = rows.computeIfAbsent(s.node(), Row::new);
            row.incarnations++;
            for (Map.Entry<Long, Slot> e : s.peers().entrySet()) {
                pair(s, e.getKey(), e.getValue(), receivers, killed, inFlight, row);
            }
            if (!killed.contains(s.incarnation())) {
                counters(s);
            }
            if (!s.otherReason().isEmpty()) {
                notes.add(name(s) + " first unclassified reason: " + s.otherReason());
            }
        }
        for (Map.Entry<Long, Long> e : inFlight.entrySet()) {
            Snapshot r = receivers.get(e.getKey());
            largestInFlight = Math.max(largestInFlight, e.getValue());
            if (e.getValue() > bounds.inFlight()) {
                violations.add(
                        name(r)
                                + " was killed with "
                                + e.getValue()
                                + " messages in flight to it, more than its stream and mailbox"
                                + " could hold ("
                                + bounds.inFlight()
                                + ")");
            }
        }
        for (Snapshot r : receivers.values()) {
            if (!senders.containsKey(r.incarnation())) {
                violations.add(name(r) + " left a receiver ledger but no sender ledger");
            }
            for (Map.Entry<Long, Slot> e : r.peers().entrySet()) {
                Snapshot s = senders.get(e.getKey());
                if (e.getValue().get(Pair.COUNT) > 0
                        && (s == null || !s.peers().containsKey(r.incarnation()))) {
                    violations.add(
                            name(r)
                                    + " received "
                                    + e.getValue().get(Pair.COUNT)
                                    + " messages from incarnation "
                                    + Long.toHexString(e.getKey())
                                    + ", which never sent to it (a phantom)");
                }
            }
        }
        for (Long k : killed) {
            if (!senders.containsKey(k) || !receivers.containsKey(k)) {
                violations.add("killed incarnation " + Long.toHexString(k) + " left no ledgers");
            }
        }
    }

    private void pair(
            Snapshot s,
            long peer,
            Slot out,
            Map<Long, Snapshot> receivers,
            Set<Long> killed,
            Map<Long, Long> inFlight,
            Row row) {
        long h = out.get(Pair.COUNT);
        Snapshot r = receivers.get(peer);
        String pair =
                name(s) + " -> " + (r == null ? "incarnation " + Long.toHexString(peer) : name(r));
        boolean senderKilled = killed.contains(s.incarnation());
        boolean receiverKilled = killed.contains(peer);
        pairs++;
        handed += h;
        row.handed += h;
        for (Dead d : Dead.values()) {
            long n = out.get(Pair.dead(d));
            dead[d.ordinal()] += n;
            row.dead[d.ordinal()] += n;
        }
        if (r == null) {
            deadLettered += out.dead();
            if (h > 0) {
                violations.add(pair + ": handed " + h + " to an incarnation that left no ledger");
            }
            return;
        }
        Slot in = r.slot(s.incarnation());
        long got = in.get(Pair.COUNT);
        long last = in.get(Pair.LAST_SEQ);
        Row receiverRow = rows.computeIfAbsent(r.node(), Row::new);

        if (out.get(Pair.DUPLICATE_OUTCOMES) > 0) {
            violations.add(
                    pair
                            + ": "
                            + out.get(Pair.DUPLICATE_OUTCOMES)
                            + " dead letters for a message already dead-lettered or never handed");
        }
        long disorder = in.get(Pair.OUT_OF_ORDER);
        long misdelivered = in.get(Pair.MISDELIVERED);
        long arrivedStrays = in.get(Pair.STRAYS_ARRIVED);
        long droppedThere = in.get(Pair.DROPPED_AT_RECEIVER);
        if (disorder + misdelivered + arrivedStrays + droppedThere > 0) {
            violations.add(
                    String.format(
                            "%s: %d out of order or duplicated, %d at the wrong incarnation, %d"
                                    + " strays that the sender should have refused, %d"
                                    + " dead-lettered at the receiver",
                            pair, disorder, misdelivered, arrivedStrays, droppedThere));
        }
        if (last > h) {
            violations.add(
                    pair
                            + ": the receiver processed sequence number "
                            + last
                            + " but only "
                            + h
                            + " were handed (a phantom)");
            received += got;
            receiverRow.received += got;
            deadLettered += out.dead();
            return;
        }
        if (out.get(Pair.RANGE_OVERFLOW) > 0 || in.get(Pair.RANGE_OVERFLOW) > 0) {
            // Only the counts can be checked then.
            long unaccounted = h - got - out.dead();
            violations.add(
                    pair
                            + ": more than "
                            + LoadLedger.RANGES
                            + " ranges of dead letters or gaps (overflow "
                            + out.get(Pair.RANGE_OVERFLOW)
                            + " / "
                            + in.get(Pair.RANGE_OVERFLOW)
                            + "): cannot check per message; raise LoadLedger.RANGES. By count: "
                            + h
                            + " handed = "
                            + got
                            + " processed + "
                            + out.dead()
                            + " dead-lettered + "
                            + unaccounted);
            received += got;
            receiverRow.received += got;
            deadLettered += out.dead();
            return;
        }
        // The strays' places are known: every STRAY_EVERY-th number, all refused at the sender,
        // none ever delivered (STRAYS_ARRIVED above); they are added to both sides.
        long strays = h / LoadSender.STRAY_EVERY;
        if (out.get(Pair.STRAYS) != strays && !senderKilled) {
            violations.add(
                    pair
                            + ": "
                            + out.get(Pair.STRAYS)
                            + " strays refused at the sender, but "
                            + strays
                            + " were handed");
        }
        List<long[]> deadSeqs = merge(withStrays(out.ranges(), h));
        List<long[]> gaps = clip(merge(withStrays(in.ranges(), last)), 1, last);
        // What R processed, from its sequence numbers; its count must agree (but for the one
        // message whose count a kill may have caught half written).
        long processed = last - size(gaps);
        received += processed;
        receiverRow.received += processed;
        deadLettered += size(deadSeqs);
        long deadCounted = out.dead() - out.get(Pair.STRAYS) + strays;
        long deadListed = size(deadSeqs);
        if (deadCounted != deadListed
                && !(senderKilled && Math.abs(deadCounted - deadListed) <= 1)) {
            violations.add(
                    pair
                            + ": "
                            + deadCounted
                            + " dead letters counted by reason but "
                            + deadListed
                            + " sequence numbers listed");
        }
        if (got != processed && !(receiverKilled && Math.abs(got - processed) <= 1)) {
            violations.add(
                    pair
                            + ": the receiver counted "
                            + got
                            + " but its highest is "
                            + last
                            + " with "
                            + size(gaps)
                            + " missing below it");
        }
        List<long[]> deadBelow = clip(deadSeqs, 1, last);
        List<long[]> missedSilently = minus(gaps, deadBelow);
        List<long[]> deliveredAndDead = minus(deadBelow, gaps);
        long silent = size(missedSilently);
        if (silent > 0) {
            if (senderKilled) {
                lostWithKilledSender += silent;
                row.lostWithKilledSender += silent;
            } else {
                violations.add(
                        pair
                                + ": "
                                + silent
                                + " messages below the receiver's highest ("
                                + last
                                + ") never arrived and were not dead-lettered (sequence numbers "
                                + describe(missedSilently)
                                + "; dead-lettered: "
                                + describe(deadSeqs)
                                + ")");
            }
        }
        if (!deliveredAndDead.isEmpty()) {
            violations.add(
                    pair
                            + ": "
                            + size(deliveredAndDead)
                            + " messages were both dead-lettered and processed (sequence numbers "
                            + describe(deliveredAndDead)
                            + ")");
        }
        long tail = (h - last) - size(clip(deadSeqs, last + 1, h));
        StringBuilder reasons = new StringBuilder();
        for (Dead d : Dead.values()) {
            long n = out.get(Pair.dead(d));
            if (n > 0 && d != Dead.REFUSED) {
                reasons.append(' ').append(d.label).append(' ').append(n);
            }
        }
        String tailText =
                String.format(
                        "%d handed, %d processed up to %d, dead-lettered besides %d refused"
                                + " strays: %s%s",
                        h,
                        processed,
                        last,
                        out.get(Pair.STRAYS),
                        describe(merge(out.ranges())),
                        reasons.length() == 0 ? "" : " (" + reasons.toString().trim() + ")");
        if (tail > 0 || reasons.length() > 0) {
            // Pairs that lived throughout first: what happened to them is the interesting part.
            details.add(
                    senderKilled || receiverKilled ? details.size() : livePairs++,
                    String.format(
                            "%s%s: %s; tail %d",
                            pair,
                            senderKilled
                                    ? " (sender killed)"
                                    : receiverKilled ? " (receiver killed)" : "",
                            tailText,
                            tail));
        }
        if (senderKilled) {
            lostWithKilledSender += tail;
            row.lostWithKilledSender += tail;
            largestWithSender = Math.max(largestWithSender, tail + silent);
            if (tail + silent > bounds.withSender()) {
                violations.add(
                        pair
                                + ": "
                                + (tail + silent)
                                + " messages lost with the killed sender, more than "
                                + bounds.withSender()
                                + " ("
                                + tailText
                                + ")");
            }
        } else if (receiverKilled) {
            lostInFlightAtKill += tail;
            rows.computeIfAbsent(r.node(), Row::new).lostInFlightAtKill += tail;
            inFlight.merge(peer, tail, Long::sum);
        } else if (tail != 0) {
            violations.add(
                    pair
                            + ": "
                            + tail
                            + " messages after the receiver's highest were neither processed"
                            + " nor dead-lettered, and neither end was killed ("
                            + tailText
                            + ")");
        }
    }

    /** A live sender's node counters against its ledger. */
    private void counters(Snapshot s) {
        long refused = s.sum(Pair.dead(Dead.REFUSED));
        long refusedCounter = s.total(Total.NODE_REFUSED_AT_SENDER);
        if (refusedCounter != refused) {
            violations.add(
                    name(s)
                            + ": node counter refused-at-sender is "
                            + refusedCounter
                            + " but the sender recorded "
                            + refused
                            + " refusals");
        }
        long offered = 0;
        for (Slot slot : s.peers().values()) {
            offered += slot.get(Pair.COUNT) - slot.dead();
        }
        long sent = s.total(Total.NODE_MSGS_SENT);
        if (sent < offered || sent > offered + CONTROL_FRAMES) {
            violations.add(
                    name(s)
                            + ": node counter msgs-sent is "
                            + sent
                            + " but the ledger says "
                            + offered
                            + " were offered (handed less dead-lettered), plus at most "
                            + CONTROL_FRAMES
                            + " control frames");
        }
        notes.add(
                String.format(
                        "%s: msgs-sent %d = load offered %d + %d control frames; refused-at-sender"
                                + " %d; node dead-letters %d",
                        name(s),
                        sent,
                        offered,
                        sent - offered,
                        refusedCounter,
                        s.total(Total.NODE_DEAD_LETTERS)));
    }

    /** {@code ranges} plus the place of every stray up to {@code upTo}. */
    static List<long[]> withStrays(List<long[]> ranges, long upTo) {
        List<long[]> all = new ArrayList<>(ranges);
        for (long k = LoadSender.STRAY_EVERY; k <= upTo; k += LoadSender.STRAY_EVERY) {
            all.add(new long[] {k, k});
        }
        return all;
    }

    /** Sorted, overlapping or adjacent ranges joined. */
    static List<long[]> merge(List<long[]> ranges) {
        List<long[]> sorted = new ArrayList<>();
        for (long[] r : ranges) {
            sorted.add(r.clone());
        }
        sorted.sort(Comparator.comparingLong(r -> r[0]));
        List<long[]> out = new ArrayList<>();
        for (long[] r : sorted) {
            long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                out.add(r);
            }
        }
        return out;
    }

    /** The parts of merged {@code ranges} within {@code [from, to]}. */
    static List<long[]> clip(List<long[]> ranges, long from, long to) {
        List<long[]> out = new ArrayList<>();
        for (long[] r : ranges) {
            long a = Math.max(r[0], from);
            long b = Math.min(r[1], to);
            if (a <= b) {
                out.add(new long[] {a, b});
            }
        }
        return out;
    }

    /** Merged {@code a} less merged {@code b}. */
    static List<long[]> minus(List<long[]> a, List<long[]> b) {
        List<long[]> out = new ArrayList<>();
        for (long[] r : a) {
            long from = r[0];
            for (long[] x : b) {
                if (x[1] < from || x[0] > r[1]) {
                    continue;
                }
                if (x[0] > from) {
                    out.add(new long[] {from, x[0] - 1});
                }
                from = x[1] + 1;
            }
            if (from <= r[1]) {
                out.add(new long[] {from, r[1]});
            }
        }
        return out;
    }

    static long size(List<long[]> ranges) {
        long n = 0;
        for (long[] r : ranges) {
            n += r[1] - r[0] + 1;
        }
        return n;
    }

    static String describe(List<long[]> ranges) {
        if (ranges.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(ranges.size(), 8); i++) {
            long[] r = ranges.get(i);
            b.append(i == 0 ? "" : ", ").append(r[0]);
            if (r[1] != r[0]) {
                b.append("..").append(r[1]);
            }
        }
        if (ranges.size() > 8) {
            b.append(", ... (").append(ranges.size()).append(" ranges)");
        }
        return b.toString();
    }

    static String name(Snapshot s) {
        String hex = Long.toHexString(s.incarnation());
        return s.node() + "@" + hex.substring(0, Math.min(6, hex.length()));
    }

    long dead() {
        long n = 0;
        for (long d : dead) {
            n += d;
        }
        return n;
    }
}
