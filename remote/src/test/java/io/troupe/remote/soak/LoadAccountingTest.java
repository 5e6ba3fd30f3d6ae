package io.troupe.remote.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.remote.soak.LoadLedger.Dead;
import io.troupe.remote.soak.LoadLedger.Role;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load mode's bookkeeping on real ledger files, without processes: each fault the soak claims
 * to catch (a silent loss, a message both delivered and dead-lettered, a duplicate, a reordering, a
 * tail while both ends live, a tail beyond what a killed receiver's stream could hold) is caught,
 * and honest runs pass.
 */
class LoadAccountingTest {
    private static final long S = 0x5111L;
    private static final long R = 0x7222L;
    private static final LoadAccounting.Bounds BOUNDS = new LoadAccounting.Bounds(100, 1000);

    @TempDir Path dir;

    private LoadLedger sender;
    private LoadLedger receiver;

    private void ledgers() {
        sender = LoadLedger.create(dir, "s", S, Role.SENDER);
        LoadLedger.create(dir, "s", S, Role.RECEIVER);
        LoadLedger.create(dir, "r", R, Role.SENDER);
        receiver = LoadLedger.create(dir, "r", R, Role.RECEIVER);
    }

    /** Hands {@code n} messages from S to R; returns the last sequence number. */
    private long hand(long n) {
        long seq = 0;
        for (long i = 0; i < n; i++) {
            seq = sender.handed(R);
        }
        return seq;
    }

    /** Delivers {@code from..to} to R, skipping the strays (the sender refuses those). */
    private void deliver(long from, long to) {
        for (long seq = from; seq <= to; seq++) {
            if (LoadLedger.isStray(seq)) {
                sender.dead(R, seq, Dead.REFUSED);
            } else {
                receiver.received(S, seq, false, false);
            }
        }
    }

    private LoadAccounting account(Set<Long> killed) {
        return new LoadAccounting(
                LoadLedger.readAll(dir, Role.SENDER),
                LoadLedger.readAll(dir, Role.RECEIVER),
                killed,
                BOUNDS);
    }

    private static List<String> pairViolations(LoadAccounting acc) {
        // A live sender's node counters are not written here: leave out their (expected) lines.
        return acc.violations.stream().filter(v -> !v.contains("node counter")).toList();
    }

    @Test
    void shouldPassWhenEveryMessageArrivedOrWasDeadLetteredInBetween() {
        ledgers();
        long n = 3 * LoadSender.STRAY_EVERY + 10;
        hand(n);
        deliver(1, 100);
        sender.dead(R, 101, Dead.BACK_PRESSURE_TIMEOUT);
        sender.dead(R, 102, Dead.QUEUE_FULL);
        deliver(103, n);

        LoadAccounting acc = account(Set.of());

        assertEquals(List.of(), pairViolations(acc));
        assertEquals(n, acc.handed);
        assertEquals(n - 2 - 3, acc.received);
        assertEquals(2 + 3, acc.dead());
    }

    @Test
    void shouldKeepARunOfDeadLettersAcrossTheStraysInOneRange() {
        ledgers();
        long n = 3 * LoadSender.STRAY_EVERY + 10;
        hand(n);
        deliver(1, 100);
        // Backwards: the order of a sender's dead letters is not the order of their numbers.
        for (long seq = n; seq > 100; seq--) {
            sender.dead(
                    R, seq, LoadLedger.isStray(seq) ? Dead.REFUSED : Dead.BACK_PRESSURE_TIMEOUT);
        }
        LoadLedger.Slot slot = LoadLedger.readAll(dir, Role.SENDER).get(S).slot(R);

        assertEquals(1, slot.ranges().size());
        assertEquals(n - 100 - 3, slot.get(LoadLedger.Pair.dead(Dead.BACK_PRESSURE_TIMEOUT)));
        assertEquals(3, slot.get(LoadLedger.Pair.STRAYS));
        assertEquals(List.of(), pairViolations(account(Set.of())));
    }

    @Test
    void shouldReportASilentLossWhenAMessageNeitherArrivedNorWasDeadLettered() {
        ledgers();
        hand(10);
        deliver(1, 4);
        deliver(6, 10); // 5 vanished

        List<String> v = pairViolations(account(Set.of()));

        assertEquals(1, v.size(), v.toString());
        assertTrue(
                v.get(0).contains("1 messages below the receiver's highest (10) never arrived")
                        && v.get(0).contains("sequence numbers 5;"),
                v.get(0));
    }

    @Test
    void shouldReportAMessageThatWasBothDeliveredAndDeadLettered() {
        ledgers();
        hand(10);
        deliver(1, 10);
        sender.dead(R, 7, Dead.RECEIVER_DOWN);

        List<String> v = pairViolations(account(Set.of()));

        assertTrue(
                v.stream()
                        .anyMatch(
                                s ->
                                        s.contains(
                                                "1 messages were both dead-lettered and processed"
                                                        + " (sequence numbers 7)")),
                v.toString());
    }

    @Test
    void shouldReportDuplicatesReorderingsAndSecondDeadLetters() {
        ledgers();
        hand(10);
        deliver(1, 5);
        receiver.received(S, 5, false, false); // a duplicate
        deliver(7, 8);
        receiver.received(S, 6, false, false); // overtaken by 7 and 8
        deliver(9, 9);
        sender.dead(R, 10, Dead.RECEIVER_DOWN);
        sender.dead(R, 10, Dead.RECEIVER_DOWN);

        List<String> v = pairViolations(account(Set.of()));

        assertTrue(
                v.stream().anyMatch(s -> s.contains("2 out of order or duplicated")), v.toString());
        assertTrue(
                v.stream().anyMatch(s -> s.contains("1 dead letters for a message already")),
                v.toString());
    }

    @Test
    void shouldReportATailWhenNeitherEndWasKilled() {
        ledgers();
        hand(10);
        deliver(1, 7);

        List<String> v = pairViolations(account(Set.of()));

        assertEquals(1, v.size(), v.toString());
        assertTrue(
                v.get(0).contains("3 messages after the receiver's highest were neither processed"),
                v.get(0));
    }

    @Test
    void shouldCountTheTailAsInFlightWhenTheReceiverWasKilledWithinTheBound() {
        ledgers();
        hand(60);
        deliver(1, 10);
        for (long seq = 51; seq <= 60; seq++) {
            sender.dead(R, seq, Dead.RECEIVER_DOWN);
        }

        LoadAccounting acc = account(Set.of(R));

        assertEquals(List.of(), pairViolations(acc));
        assertEquals(40, acc.lostInFlightAtKill);
        assertEquals(10, acc.dead[Dead.RECEIVER_DOWN.ordinal()]);
        assertEquals(60, acc.received + acc.deadLettered + acc.lostInFlightAtKill);
    }

    @Test
    void shouldReportMoreInFlightThanAKilledReceiversStreamCouldHold() {
        ledgers();
        hand(10 + BOUNDS.inFlight() + 1);
        deliver(1, 10);

        List<String> v = pairViolations(account(Set.of(R)));

        assertEquals(1, v.size(), v.toString());
        assertTrue(v.get(0).contains("was killed with 101 messages in flight to it"), v.get(0));
    }

    @Test
    void shouldReportAPhantomWhenTheReceiverSawANumberNeverHanded() {
        ledgers();
        hand(3);
        deliver(1, 3);
        receiver.received(S, 4, false, false);

        List<String> v = pairViolations(account(Set.of()));

        assertTrue(v.stream().anyMatch(s -> s.contains("(a phantom)")), v.toString());
    }

    @Test
    void shouldReportAStrayThatWasDeliveredInsteadOfRefused() {
        ledgers();
        long n = LoadSender.STRAY_EVERY + 1;
        hand(n);
        for (long seq = 1; seq <= n; seq++) {
            receiver.received(S, seq, false, LoadLedger.isStray(seq));
        }

        List<String> v = pairViolations(account(Set.of()));

        assertTrue(
                v.stream()
                        .anyMatch(s -> s.contains("1 strays that the sender should have refused")),
                v.toString());
        assertTrue(
                v.stream().anyMatch(s -> s.contains("0 strays refused at the sender, but 1")),
                v.toString());
    }

    @Test
    void shouldCompareALiveSendersNodeCountersWithItsLedger() {
        ledgers();
        hand(10);
        deliver(1, 10);
        sender.set(LoadLedger.Total.NODE_MSGS_SENT, 10 + 5); // five control frames
        sender.set(LoadLedger.Total.NODE_REFUSED_AT_SENDER, 1); // one refusal the ledger lacks

        List<String> v = account(Set.of()).violations;

        assertTrue(
                v.stream()
                        .anyMatch(
                                s ->
                                        s.startsWith("s@5111: node counter refused-at-sender is 1")
                                                && s.contains("recorded 0 refusals")),
                v.toString());
        assertTrue(
                v.stream().noneMatch(s -> s.startsWith("s@5111: node counter msgs-sent")),
                v.toString());
    }
}
