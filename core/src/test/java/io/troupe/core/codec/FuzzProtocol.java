package io.troupe.core.codec;

import akka.actor.typed.ActorRef;
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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The protocol {@link CodecFuzzTest} decodes into, registered beside {@link Samples}: between them
 * every shape the codec supports, in the combinations a real protocol has. Recursion through a
 * sealed interface ({@link Expr}), through an {@code Optional} ({@link Batch#next}) and through a
 * map's values ({@link Let}); validating compact constructors that refuse some decoded values; a
 * component-less record; an enum with a constant body; {@code ActorRef}s. Its binary names are part
 * of the checked-in fuzz corpus: renaming a type changes its wire id, so the seeds of that type
 * stop decoding (they stay valid fuzz inputs, but cover less).
 */
final class FuzzProtocol {
    private FuzzProtocol() {}

    sealed interface Msg permits Expr, Order, Event, Batch, Mark, Boxed, Tag, Reply {}

    /** A recursive sealed hierarchy: an arithmetic expression. */
    sealed interface Expr extends Msg permits Num, Add, Neg, Let, Var {}

    record Num(BigDecimal value) implements Expr {
        Num {
            Objects.requireNonNull(value, "value");
        }
    }

    record Add(Expr left, Expr right) implements Expr {}

    record Neg(Expr inner) implements Expr {}

    record Let(Map<String, Expr> bindings, Expr body) implements Expr {
        Let {
            bindings = Map.copyOf(bindings);
        }
    }

    record Var(String name) implements Expr {}

    enum Tag implements Msg {
        URGENT,
        FRAGILE {},
        GIFT
    }

    /** Every primitive type, and a constructor that refuses some values. */
    record Line(
            String sku,
            int qty,
            long cents,
            double weight,
            float ratio,
            char grade,
            short bin,
            byte flags,
            boolean taxed) {
        Line {
            if (qty < 0) {
                throw new IllegalArgumentException("qty must not be negative: " + qty);
            }
        }
    }

    record Order(
            UUID id,
            List<Line> lines,
            Optional<Instant> deadline,
            Set<Tag> tags,
            BigInteger total,
            Map<String, List<Integer>> notes)
            implements Msg {
        Order {
            lines = List.copyOf(lines);
            tags = Set.copyOf(tags);
            notes = Map.copyOf(notes);
        }
    }

    /** Every java.time value. */
    record Event(
            ZonedDateTime at,
            OffsetDateTime offsetAt,
            OffsetTime offsetTime,
            LocalDate date,
            LocalTime time,
            LocalDateTime local,
            Duration took,
            Period period,
            Year year,
            YearMonth month,
            MonthDay day,
            ZoneId zone,
            ZoneOffset offset,
            Instant instant)
            implements Msg {}

    /** Recursive through an Optional; a list of the sealed root; nested generic collections. */
    record Batch(
            List<Msg> items,
            Map<Tag, List<Optional<Integer>>> byTag,
            Optional<Batch> next,
            Set<Set<String>> groups)
            implements Msg {}

    /** No components: encodes to its type id alone. */
    record Mark() implements Msg {}

    record Boxed(
            Boolean z,
            Byte b,
            Short s,
            Character c,
            Integer i,
            Long l,
            Float f,
            Double d,
            String str)
            implements Msg {}

    /** Carries actor refs, as replies and addresses do. */
    record Reply(ActorRef<Msg> replyTo, Optional<ActorRef<Msg>> cc, List<ActorRef<Msg>> watchers)
            implements Msg {}

    static List<Msg> samples(ActorRef<Msg> ref) {
        Expr expr =
                new Let(
                        Map.of("x", new Num(new BigDecimal("2.50")), "y", new Neg(new Var("x"))),
                        new Add(new Var("x"), new Add(new Var("y"), new Num(BigDecimal.TEN))));
        Order order =
                new Order(
                        UUID.fromString("00000000-0000-0001-0000-000000000002"),
                        List.of(
                                new Line(
                                        "sku-1", 3, 1999L, 0.25, 1.5f, 'A', (short) 7, (byte) -1,
                                        true),
                                new Line(
                                        "ščť",
                                        0,
                                        -1L,
                                        Double.NaN,
                                        Float.NEGATIVE_INFINITY,
                                        '\u20ac',
                                        Short.MIN_VALUE,
                                        (byte) 0,
                                        false)),
                        Optional.of(Instant.ofEpochSecond(1_800_000_000L, 5)),
                        Set.of(Tag.URGENT, Tag.FRAGILE),
                        new BigInteger("123456789012345678901234567890"),
                        Map.of("a", List.of(1, 2, 3)));
        Event event =
                new Event(
                        ZonedDateTime.of(2026, 10, 25, 2, 30, 0, 0, ZoneId.of("Europe/Berlin")),
                        OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(14)),
                        OffsetTime.of(23, 59, 59, 999_999_999, ZoneOffset.ofHours(-18)),
                        LocalDate.of(-5000, 2, 28),
                        LocalTime.MIDNIGHT,
                        LocalDateTime.of(9999, 12, 31, 23, 59),
                        Duration.ofNanos(-1),
                        Period.of(-1, 13, 400),
                        Year.of(2024),
                        YearMonth.of(1, 1),
                        MonthDay.of(2, 29),
                        ZoneId.of("Asia/Kolkata"),
                        ZoneOffset.UTC,
                        Instant.EPOCH);
        Batch inner =
                new Batch(List.of(Tag.GIFT, new Mark()), Map.of(), Optional.empty(), Set.of());
        Batch batch =
                new Batch(
                        List.of(expr, Tag.FRAGILE, new Mark()),
                        Map.of(Tag.URGENT, List.of(Optional.of(1), Optional.empty())),
                        Optional.of(inner),
                        Set.of(Set.of("a", "b"), Set.of()));
        Boxed boxed =
                new Boxed(
                        true,
                        (byte) 1,
                        (short) 2,
                        'c',
                        null,
                        Long.MIN_VALUE,
                        Float.NaN,
                        -0.0,
                        null);
        Reply reply = new Reply(ref, Optional.of(ref), List.of(ref, ref));
        return List.of(
                expr, order, event, batch, new Mark(), boxed, Tag.URGENT, Tag.FRAGILE, reply);
    }
}
