package io.troupe.core.codec;

import io.troupe.core.Bytes;
import io.troupe.core.WireName;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Protocols shared by the codec tests. Their binary names are part of the golden bytes: do not move
 * them.
 */
final class Samples {
    private Samples() {}

    sealed interface Command permits Small, Everything, Tree, Level, Holder, Envelope, Blob {}

    /** About 32 bytes encoded. */
    record Small(int id, long timestamp, String name, boolean flag) implements Command {}

    enum Level implements Command {
        LOW,
        MID {},
        HIGH
    }

    record Everything(
            byte b,
            short s,
            char c,
            int i,
            long l,
            float f,
            double d,
            boolean z,
            Byte bb,
            Short bs,
            Character bc,
            Integer bi,
            Long bl,
            Float bf,
            Double bd,
            Boolean bz,
            String str,
            UUID uuid,
            BigInteger bigInt,
            BigDecimal bigDec,
            Instant instant,
            Duration duration,
            LocalDate date,
            LocalTime time,
            LocalDateTime dateTime,
            OffsetDateTime offsetDateTime,
            OffsetTime offsetTime,
            ZonedDateTime zoned,
            ZoneOffset offset,
            ZoneId zone,
            Period period,
            Year year,
            YearMonth yearMonth,
            MonthDay monthDay,
            Level level,
            List<String> list,
            Set<Integer> set,
            Map<String, Long> map,
            Optional<String> opt,
            Optional<Small> emptyOpt,
            List<Command> mixed,
            Map<Level, List<Small>> grouped)
            implements Command {}

    /** Recursive: the depth limit applies. */
    record Tree(String label, List<Tree> children) implements Command {
        Tree {
            children = List.copyOf(children);
        }
    }

    /** A sealed-typed component: the concrete type travels with the value. */
    record Envelope(Command inner) implements Command {}

    /** Holds whatever list it is given: the codec must catch a mutable one at encode time. */
    record Holder(List<String> names) implements Command {}

    /** A binary payload beside other values. */
    record Blob(String name, Bytes data, Optional<Bytes> thumbnail) implements Command {}

    static Everything everything() {
        return everything(Set.of(1, 2, 3), Map.of("k", 1L, "j", 2L));
    }

    /**
     * With one-element sets and maps the encoding is deterministic (Set.of/Map.of iterate in a
     * per-JVM order).
     */
    static Everything everythingDeterministic() {
        return everything(Set.of(7), Map.of("k", 1L));
    }

    private static Everything everything(Set<Integer> set, Map<String, Long> map) {
        return new Everything(
                (byte) -7,
                (short) 300,
                'λ',
                -123456,
                9_876_543_210L,
                1.5f,
                Math.PI,
                true,
                (byte) 1,
                (short) -2,
                'x',
                42,
                -1L,
                2.5f,
                -0.0,
                false,
                "héllo wörld ✓",
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
                new BigInteger("-123456789012345678901234567890"),
                new BigDecimal("3.14159265358979323846"),
                Instant.ofEpochSecond(1_700_000_000L, 123_456_789),
                Duration.ofMillis(-1500),
                LocalDate.of(2026, 11, 27),
                LocalTime.of(23, 59, 58, 999),
                LocalDateTime.of(2000, 1, 1, 0, 0),
                OffsetDateTime.of(2026, 2, 28, 12, 30, 0, 0, ZoneOffset.ofHours(-5)),
                OffsetTime.of(1, 2, 3, 4, ZoneOffset.UTC),
                ZonedDateTime.of(2026, 3, 29, 2, 30, 0, 0, ZoneId.of("Europe/Paris")),
                ZoneOffset.ofHoursMinutes(5, 30),
                ZoneId.of("America/New_York"),
                Period.of(1, -2, 3),
                Year.of(-44),
                YearMonth.of(1999, 12),
                MonthDay.of(2, 29),
                Level.MID,
                List.of("a", "", "c"),
                set,
                map,
                Optional.of("present"),
                Optional.empty(),
                List.of(new Small(1, 2, "x", false), Level.HIGH, new Tree("t", List.of())),
                Map.of(Level.LOW, List.of(new Small(3, 4, "y", true))));
    }

    /** An unrelated protocol, registered before Command in one of two processes. */
    sealed interface Other permits Ping, Pong {}

    record Ping(int seq) implements Other {}

    record Pong(int seq, String from) implements Other {}

    // Two types whose wire names are equal: their ids clash.
    @WireName("samples.Clash")
    record ClashA(int a) {}

    @WireName("samples.Clash")
    record ClashB(int b) {}
}
