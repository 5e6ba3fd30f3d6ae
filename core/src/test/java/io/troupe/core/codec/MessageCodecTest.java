package io.troupe.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.core.ProtocolViolationException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    private final MessageCodec codec = MessageCodec.create();

    {
        codec.register(Samples.Command.class);
    }

    private Object roundTrip(Object message) {
        return codec.decode(codec.encode(message));
    }

    @Test
    void shouldRoundTripEverySupportedType() {
        Samples.Everything e = Samples.everything();
        Object back = roundTrip(e);
        assertEquals(e, back);
        Samples.Everything b = (Samples.Everything) back;
        assertSame(
                Samples.Level.MID,
                b.level(),
                "enum constants (even with a body) resolve to this process's constant");
        assertEquals(e.zoned().getZone(), b.zoned().getZone());
    }

    @Test
    void shouldRoundTripSmallRecordsEnumsAndBuiltInsAsMessages() {
        for (Object m :
                List.of(
                        new Samples.Small(7, -8L, "seven", true),
                        Samples.Level.HIGH,
                        Samples.Level.MID,
                        "just a string",
                        42,
                        List.of("a", "b"),
                        Map.of("k", 1),
                        Optional.of(3),
                        Set.of(Samples.Level.LOW),
                        new BigDecimal("1.50"))) {
            assertEquals(m, roundTrip(m), () -> "round trip of " + m);
        }
    }

    @Test
    void shouldDecodeCollectionsAsImmutable() {
        Samples.Everything back = (Samples.Everything) roundTrip(Samples.everything());
        assertThrows(UnsupportedOperationException.class, () -> back.list().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> back.map().put("x", 1L));
        // Forwarding what was received must work: decoded collections pass the run-time check.
        assertEquals(back, roundTrip(back));
    }

    @Test
    void shouldKeepNullComponentsAndNullListElementsAllowedByStreamToList() {
        Samples.Small withNull = new Samples.Small(1, 2, null, false);
        assertEquals(withNull, roundTrip(withNull));
        Samples.Holder holder = new Samples.Holder(Stream.of("a", null, "c").toList());
        Samples.Holder back = (Samples.Holder) roundTrip(holder);
        assertEquals(holder, back);
        assertEquals(back, roundTrip(back));
    }

    @Test
    void shouldRejectAMutableListAtEncodeNamingTheComponentAndTheFix() {
        CodecException e =
                assertThrows(
                        CodecException.class,
                        () -> codec.encode(new Samples.Holder(new ArrayList<>(List.of("a")))));
        assertTrue(e.getMessage().contains("Holder.names"), e.getMessage());
        assertTrue(
                e.getMessage().contains("java.util.ArrayList")
                        && e.getMessage().contains("List.copyOf"),
                e.getMessage());
        CodecException view =
                assertThrows(
                        CodecException.class,
                        () ->
                                codec.encode(
                                        new Samples.Holder(
                                                Collections.unmodifiableList(
                                                        new ArrayList<>(List.of("a"))))));
        assertTrue(view.getMessage().contains("unmodifiable view"), view.getMessage());
    }

    record NotRegistered(int x) {}

    @Test
    void shouldRejectAnUnregisteredClassWithTheRegistrationToAdd() {
        CodecException e =
                assertThrows(CodecException.class, () -> codec.encode(new NotRegistered(1)));
        assertTrue(
                e.getMessage().contains(NotRegistered.class.getName())
                        && e.getMessage().contains("not registered"),
                e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains(
                                "register(io.troupe.core.codec.MessageCodecTest.NotRegistered.class)"),
                e.getMessage());
        CodecException nested =
                assertThrows(
                        CodecException.class, () -> codec.encode(List.of(new NotRegistered(2))));
        assertTrue(nested.getMessage().contains("not registered"), nested.getMessage());
    }

    @Test
    void shouldNameTheProtocolRootWhenAMemberIsUnregistered() {
        MessageCodec other = MessageCodec.create();
        CodecException e =
                assertThrows(
                        CodecException.class,
                        () -> other.encode(new Samples.Small(1, 1, "a", true)));
        assertTrue(
                e.getMessage().contains("register(io.troupe.core.codec.Samples.Command.class)"),
                e.getMessage());
    }

    @Test
    void shouldRejectMutableTypesAtEncodeEvenWhenNeverRegistered() {
        CodecException e =
                assertThrows(CodecException.class, () -> codec.encode(new ArrayList<>(List.of(1))));
        assertTrue(
                e.getMessage().contains("java.util.ArrayList")
                        || e.getMessage().contains("mutable"),
                e.getMessage());
        CodecException arr = assertThrows(CodecException.class, () -> codec.encode(new int[] {1}));
        assertTrue(arr.getMessage().contains("is an array"), arr.getMessage());
    }

    @Test
    void shouldRunTheProtocolCheckAtRegistration() {
        ProtocolViolationException e =
                assertThrows(
                        ProtocolViolationException.class, () -> codec.register(WithArray.class));
        assertTrue(e.getMessage().contains("WithArray.values"), e.getMessage());
    }

    record WithArray(int[] values) {}

    @Test
    void shouldGiveTheSameBytesWhateverTheRegistrationOrder() {
        MessageCodec a = MessageCodec.create();
        a.register(Samples.Other.class); // an unrelated protocol first
        a.register(Samples.Command.class);
        MessageCodec b = MessageCodec.create();
        b.register(Samples.Command.class);
        Samples.Small m = new Samples.Small(1, 2, "x", true);
        assertArrayEquals(a.encode(m), b.encode(m));
        assertEquals(m, b.decode(a.encode(m)));
        assertEquals(Samples.Level.HIGH, a.decode(b.encode(Samples.Level.HIGH)));
    }

    @Test
    void shouldReportAClashOfIdsAtRegistration() {
        MessageCodec c = MessageCodec.create();
        c.register(Samples.ClashA.class);
        CodecException e =
                assertThrows(CodecException.class, () -> c.register(Samples.ClashB.class));
        assertTrue(
                e.getMessage().contains("Type id clash")
                        && e.getMessage().contains("ClashA")
                        && e.getMessage().contains("ClashB"),
                e.getMessage());
        assertTrue(e.getMessage().contains("@io.troupe.core.WireName"), e.getMessage());
    }

    @Test
    void shouldRejectMessagesOverTheSizeLimitAtEncode() {
        MessageCodec small = new MessageCodec(CodecLimits.defaults().withMaxMessageBytes(1024));
        small.register(Samples.Command.class);
        CodecException e =
                assertThrows(
                        CodecException.class,
                        () -> small.encode(new Samples.Small(1, 1, "x".repeat(2000), true)));
        assertTrue(e.getMessage().contains("max-message-bytes = 1024"), e.getMessage());
        // The thread's codec still works afterwards.
        assertEquals(
                new Samples.Small(1, 1, "ok", true),
                small.decode(small.encode(new Samples.Small(1, 1, "ok", true))));
    }

    @Test
    void shouldRejectNestingDeeperThanTheLimit() {
        Samples.Tree t = new Samples.Tree("leaf", List.of());
        for (int i = 0; i < 100; i++) {
            t = new Samples.Tree("n" + i, List.of(t));
        }
        Samples.Tree deep = t;
        CodecException e = assertThrows(CodecException.class, () -> codec.encode(deep));
        assertTrue(e.getMessage().contains("max-depth"), e.getMessage());
    }

    @Test
    void shouldEncodeAndDecodeConcurrentlyFromManyThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                tasks.add(
                        () -> {
                            for (int i = 0; i < 20_000; i++) {
                                Samples.Small m =
                                        new Samples.Small(
                                                seed * 1_000_000 + i, i, "n" + i, (i & 1) == 0);
                                if (!m.equals(codec.decode(codec.encode(m)))) {
                                    return i;
                                }
                                if (i % 1000 == 0
                                        && !Samples.everything()
                                                .equals(
                                                        codec.decode(
                                                                codec.encode(
                                                                        Samples.everything())))) {
                                    return -i;
                                }
                            }
                            return 20_000;
                        });
            }
            for (Future<Integer> f : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
                assertEquals(20_000, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldEncodeSmallRecordCompactly() {
        int size = codec.encode(new Samples.Small(123, 1_700_000_000_000L, "alice", true)).length;
        assertTrue(size <= 20, "4-byte id + varints + 6-byte string + boolean, got " + size);
    }
}
