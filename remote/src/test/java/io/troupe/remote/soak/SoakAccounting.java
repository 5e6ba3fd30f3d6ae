package io.troupe.remote.soak;

import io.troupe.remote.soak.Ledger.Pair;
import io.troupe.remote.soak.Ledger.Reason;
import io.troupe.remote.soak.Ledger.Snapshot;
import io.troupe.remote.soak.Ledger.Total;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds up every incarnation's {@link Ledger} after a soak run and lists what does not add up.
 *
 * <p>For every ordered pair of incarnations (sender S, receiver R): {@code sent = received +
 * dead-lettered (at S, by reason, or at R) + lost}, where {@code lost} must be 0 when neither was
 * killed, is "in flight when its receiver was killed" when R was killed (offered to Aeron, or
 * waiting in R's mailbox, when R died), and "lost with its killed sender" when S was killed
 * (counted by S, then still in S's outbound queue, or in the log when its receiver had already
 * declared S down). Either kind is bounded by {@link #LOST_PER_PAIR}, and {@code lost} is never
 * negative (that would be a duplicate or a message nobody sent). No message may arrive out of
 * order, corrupt, or at the wrong incarnation.
 *
 * <p>Asks of a never-killed asker all ended (answered, timed out or failed); asks between live
 * processes never fail, and between two first incarnations that were never killed (parent and
 * worker-1) they time out at most {@link #ASK_TIMEOUT_SHARE_PERCENT}% of the time (only a stall
 * longer than the ask timeout on a shared machine can do it). Asks to or from a restarted successor
 * are only reported: its inbound stream stalled for up to the driver's client-liveness timeout
 * after the kill before inbound streams became per incarnation (see RestartedWorkerStallTest); they
 * are still only reported, as a successor may itself be killed mid-ask. Watches: a never-killed
 * incarnation that started before a killed one saw its {@code Terminated} exactly once, and nobody
 * saw one for an incarnation that was never killed.
 *
 * <p>Thread safety: not thread-safe; built and read by the test thread.
 */
final class SoakAccounting {
    /**
     * Most messages of one pair that may be lost with a kill. A sender offers ~130 msgs/s to each
     * peer and notices a dead peer's pid within ~50 ms; 1,000 is several seconds of a stalled
     * receiver on a loaded 2-core machine, far above what a kill loses (typically 0-20).
     */
    static final long LOST_PER_PAIR = 1_000;

    static final long ASK_TIMEOUT_SHARE_PERCENT = 2;

    /** Ticks of traffic (2 s) after which an incarnation that asked nothing is called wedged. */
    static final long WEDGED_TICKS = 200;

    /** Per node name, summed over its incarnations. */
    static final class Row {
        final String node;
        int incarnations;
        long sent;
        long received;
        final long[] deadLettered = new long[Reason.values().length];
        long droppedAtReceiver;
        long lostInFlightAtKill;
        long lostWithKilledSender;
        long asks;
        long answered;
        long timedOut;
        long failed;
        long abandoned;
        long questionsAnswered;
        long terminatedSeen;
        long bytesSent;
        long nodeDeadLetters;
        long rejectedFrames;
        long decodeFailures;
        long backPressureEvents;
        long questionsDropped;
        long answersDropped;

        Row(String node) {
            this.node = node;
        }

        long deadLettered() {
            long n = droppedAtReceiver;
            for (long d : deadLettered) {
                n += d;
            }
            return n;
        }
    }

    final Map<String, Row> rows = new TreeMap<>();
    final List<String> violations = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    long sent;
    long received;
    long deadLettered;
    long lostInFlightAtKill;
    long lostWithKilledSender;

    /**
     * Asks between first incarnations that were never killed (parent, worker-1): only a long stall
     * times them out.
     */
    long asksBetweenStable;

    long timedOutBetweenStable;

    /**
     * Asks between live incarnations where one is a restarted successor: see
     * RestartedWorkerStallTest.
     */
    long asksWithSuccessors;

    long timedOutWithSuccessors;

    /**
     * @param ledgers by incarnation, read after the run went quiet
     * @param killedAt the incarnations the test killed, with when (epoch millis)
     */
    SoakAccounting(Map<Long, Snapshot> ledgers, Map<Long, Long> killedAt) {
        for (Snapshot s : ledgers.values()) {
            Row row = rows.computeIfAbsent(s.node(), Row::new);
            row.incarnations++;
            row.questionsAnswered += s.total(Total.QUESTIONS_ANSWERED);
            row.terminatedSeen += s.sum(Pair.TERMINATED_SEEN);
            row.bytesSent += s.sum(Pair.BYTES_SENT);
            row.nodeDeadLetters += s.total(Total.NODE_DEAD_LETTERS);
            row.rejectedFrames += s.total(Total.NODE_REJECTED_FRAMES);
            row.decodeFailures += s.total(Total.NODE_DECODE_FAILURES);
            row.backPressureEvents += s.total(Total.NODE_BACK_PRESSURE_EVENTS);
            row.questionsDropped += s.total(Total.QUESTIONS_DROPPED);
            row.answersDropped += s.total(Total.ANSWERS_DROPPED);
            account(s, row, ledgers, killedAt);
            asks(s, row, ledgers, killedAt);
            watches(s, ledgers, killedAt);
            if (!s.otherReason().isEmpty()) {
                notes.add(name(s) + " first unclassified reason: " + s.otherReason());
            }
        }
        for (Long k : killedAt.keySet()) {
            if (!ledgers.containsKey(k)) {
                violations.add("killed incarnation " + Long.toHexString(k) + " left no ledger");
            }
        }
    }

    private void account(
            Snapshot s, Row row, Map<Long, Snapshot> ledgers, Map<Long, Long> killedAt) {
        long me = s.incarnation();
        for (Map.Entry<Long, long[]> e : s.peers().entrySet()) {
            long peer = e.getKey();
            long[] v = e.getValue();
            Snapshot r = ledgers.get(peer);
            long out = v[Pair.SENT.ordinal()];
            long in = r == null ? 0 : r.pair(me, Pair.RECEIVED);
            long atReceiver = r == null ? 0 : r.pair(me, Pair.DROPPED_AT_RECEIVER);
            long dead = atReceiver;
            for (Reason reason : Reason.values()) {
                long d = v[Pair.drop(reason).ordinal()];
                row.deadLettered[reason.ordinal()] += d;
                dead += d;
            }
            row.droppedAtReceiver += atReceiver;
            row.sent += out;
            row.received += in;
            sent += out;
            received += in;
            deadLettered += dead;
            long lost = out - in - dead;
            String pair =
                    name(s)
                            + " -> "
                            + (r == null
                                    ? "unknown incarnation " + Long.toHexString(peer)
                                    : name(r));
            if (out > 0 && r == null) {
                violations.add(pair + ": sent " + out + " to an incarnation that left no ledger");
            }
            if (lost < 0) {
                violations.add(
                        pair
                                + ": sent "
                                + out
                                + " but received "
                                + in
                                + " + dead-lettered "
                                + dead
                                + " (a duplicate or a phantom)");
            } else if (killedAt.containsKey(me)) {
                lostWithKilledSender += lost;
                row.lostWithKilledSender += lost;
                bound(pair, "lost with its killed sender", lost);
            } else if (killedAt.containsKey(peer)) {
                lostInFlightAtKill += lost;
                rows.computeIfAbsent(r.node(), Row::new).lostInFlightAtKill += lost;
                bound(pair, "in flight when its receiver was killed", lost);
            } else if (lost != 0) {
                violations.add(
                        pair
                                + ": sent "
                                + out
                                + " = received "
                                + in
                                + " + dead-lettered "
                                + dead
                                + " + "
                                + lost
                                + " unaccounted, and neither was killed");
            }
            if (r != null) {
                long disorder = r.pair(me, Pair.OUT_OF_ORDER);
                long corrupt = r.pair(me, Pair.CORRUPT);
                long misdelivered = r.pair(me, Pair.MISDELIVERED);
                if (disorder + corrupt + misdelivered > 0) {
                    violations.add(
                            pair
                                    + ": "
                                    + disorder
                                    + " out of order or duplicated, "
                                    + corrupt
                                    + " corrupt, "
                                    + misdelivered
                                    + " at the wrong incarnation");
                }
            }
        }
    }

    private void bound(String pair, String what, long lost) {
        if (lost > LOST_PER_PAIR) {
            violations.add(
                    pair
                            + ": "
                            + lost
                            + " messages "
                            + what
                            + ", more than the bound of "
                            + LOST_PER_PAIR);
        }
    }

    private void asks(Snapshot s, Row row, Map<Long, Snapshot> ledgers, Map<Long, Long> killedAt) {
        long asked = s.total(Total.ASKS_SENT);
        long ended =
                s.total(Total.ASKS_ANSWERED)
                        + s.total(Total.ASKS_TIMED_OUT)
                        + s.total(Total.ASKS_FAILED);
        row.asks += asked;
        row.answered += s.total(Total.ASKS_ANSWERED);
        row.timedOut += s.total(Total.ASKS_TIMED_OUT);
        row.failed += s.total(Total.ASKS_FAILED);
        if (s.total(Total.ASKS_WRONG_REPLY) > 0) {
            violations.add(
                    name(s)
                            + ": "
                            + s.total(Total.ASKS_WRONG_REPLY)
                            + " asks answered with the wrong seq or by the wrong incarnation");
        }
        if (killedAt.containsKey(s.incarnation())) {
            row.abandoned += asked - ended; // pending when the asker died: they die with it
            return;
        }
        if (asked != ended) {
            violations.add(
                    name(s)
                            + ": "
                            + asked
                            + " asks but "
                            + ended
                            + " ended (answered, timed out or failed): "
                            + (asked - ended)
                            + " never answered");
        }
        if (asked > 0 && s.total(Total.ASKS_ANSWERED) == 0) {
            violations.add(name(s) + ": none of its " + asked + " asks was answered");
        } else if (asked == 0 && s.total(Total.TICKS) >= WEDGED_TICKS) {
            // A successor that joined as the traffic ended had no time to ask: not a fault. One
            // that had WEDGED_TICKS ticks of traffic (before the stop, with targets) and asked
            // nothing is wedged: it asks on one tick in ten, so by chance that is 0.9^200 ~ 1e-9.
            violations.add(
                    name(s)
                            + ": asked nothing in "
                            + s.total(Total.TICKS)
                            + " ticks although it knew "
                            + s.total(Total.TARGETS_KNOWN)
                            + " targets");
        }
        for (Map.Entry<Long, long[]> e : s.peers().entrySet()) {
            if (!killedAt.containsKey(e.getKey()) && ledgers.containsKey(e.getKey())) {
                Snapshot target = ledgers.get(e.getKey());
                long asks = e.getValue()[Pair.ASKS_TO.ordinal()];
                long timedOut = e.getValue()[Pair.TIMED_OUT_TO.ordinal()];
                if (successor(s, ledgers, killedAt) || successor(target, ledgers, killedAt)) {
                    asksWithSuccessors += asks;
                    timedOutWithSuccessors += timedOut;
                } else {
                    asksBetweenStable += asks;
                    timedOutBetweenStable += timedOut;
                }
                if (timedOut > 0) {
                    notes.add(
                            String.format(
                                    "%s -> %s: %d asks timed out, the last asked %d ms after the target's ledger was created",
                                    name(s),
                                    name(target),
                                    timedOut,
                                    e.getValue()[Pair.LAST_TIMED_OUT_ASKED_MILLIS.ordinal()]
                                            - target.total(Total.STARTED_MILLIS)));
                }
                if (e.getValue()[Pair.FAILED_TO.ordinal()] > 0) {
                    violations.add(
                            name(s)
                                    + " -> "
                                    + name(ledgers.get(e.getKey()))
                                    + ": "
                                    + e.getValue()[Pair.FAILED_TO.ordinal()]
                                    + " asks failed between live processes");
                }
            }
        }
    }

    private void watches(Snapshot w, Map<Long, Snapshot> ledgers, Map<Long, Long> killedAt) {
        for (Map.Entry<Long, long[]> e : w.peers().entrySet()) {
            long seen = e.getValue()[Pair.TERMINATED_SEEN.ordinal()];
            Snapshot peer = ledgers.get(e.getKey());
            if (!killedAt.containsKey(e.getKey()) && seen > 0) {
                violations.add(
                        name(w)
                                + " saw Terminated "
                                + seen
                                + " times for "
                                + (peer == null ? Long.toHexString(e.getKey()) : name(peer))
                                + ", which was never killed (a false failure detection)");
            }
        }
        if (killedAt.containsKey(w.incarnation())) {
            return; // it may have died before the others
        }
        for (Map.Entry<Long, Long> k : killedAt.entrySet()) {
            Snapshot victim = ledgers.get(k.getKey());
            if (victim == null
                    || w.total(Total.STARTED_MILLIS) >= victim.total(Total.STARTED_MILLIS)) {
                continue; // w came later: it need not have known the victim
            }
            long[] v = w.peers().get(k.getKey());
            long seen = v == null ? 0 : v[Pair.TERMINATED_SEEN.ordinal()];
            if (seen != 1) {
                violations.add(
                        name(w)
                                + " saw Terminated "
                                + seen
                                + " times for the killed "
                                + name(victim)
                                + " (expected exactly once)"
                                + (v == null ? "; it never even learned of it" : ""));
            }
        }
    }

    /**
     * Whether {@code s} is a restarted incarnation: a killed incarnation of its node started before
     * it.
     */
    private static boolean successor(
            Snapshot s, Map<Long, Snapshot> ledgers, Map<Long, Long> killedAt) {
        return killedAt.keySet().stream()
                .map(ledgers::get)
                .anyMatch(
                        k ->
                                k != null
                                        && k.node().equals(s.node())
                                        && k.total(Total.STARTED_MILLIS)
                                                < s.total(Total.STARTED_MILLIS));
    }

    static String name(Snapshot s) {
        String hex = Long.toHexString(s.incarnation());
        return s.node() + "@" + hex.substring(0, Math.min(6, hex.length()));
    }

    /** Sender-side dead letters by reason, summed over every node. */
    long deadLettered(Reason r) {
        return rows.values().stream().mapToLong(row -> row.deadLettered[r.ordinal()]).sum();
    }
}
