package io.troupe.core.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.troupe.core.Bytes;
import io.troupe.core.codec.CodecException;
import io.troupe.core.codec.CodecLimits;
import io.troupe.core.codec.WireFormat;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Serializers for the immutable JDK values a message may hold, with fixed wire ids that never
 * change. Readers validate through the JDK's own factories ({@code LocalDate.of}, ...), whose
 * exceptions the codec turns into {@link CodecException}s.
 *
 * <p>Thread safety: every serializer here is stateless and shared by all Kryo instances.
 */
final class ScalarSerializers {
    private ScalarSerializers() {}

    /** A stateless serializer from two lambdas. */
    interface Writer<T> {
        void write(Output out, T value);
    }

    interface Reader<T> {
        T read(Input in);
    }

    static final class Lambda<T> extends Serializer<T> {
        private final Writer<T> writer;
        private final Reader<T> reader;

        Lambda(Writer<T> writer, Reader<T> reader) {
            super(false, true);
            this.writer = writer;
            this.reader = reader;
        }

        @Override
        public void write(Kryo kryo, Output output, T object) {
            writer.write(output, object);
        }

        @Override
        public T read(Kryo kryo, Input input, Class<? extends T> type) {
            return reader.read(input);
        }
    }

    /** The fixed wire id of each built-in value type, and its serializer. Ids never change. */
    static Map<Class<?>, Fixed> all(CodecLimits limits) {
        Map<Class<?>, Fixed> m = new LinkedHashMap<>();
        put(m, 16, Boolean.class, Output::writeBoolean, Input::readBoolean);
        put(m, 17, Byte.class, Output::writeByte, Input::readByte);
        put(m, 18, Short.class, (o, v) -> o.writeShort(v), Input::readShort);
        put(m, 19, Character.class, Output::writeChar, Input::readChar);
        put(m, 20, Integer.class, (o, v) -> o.writeVarInt(v, false), in -> in.readVarInt(false));
        put(m, 21, Long.class, (o, v) -> o.writeVarLong(v, false), in -> in.readVarLong(false));
        put(m, 22, Float.class, Output::writeFloat, Input::readFloat);
        put(m, 23, Double.class, Output::writeDouble, Input::readDouble);
        put(
                m,
                24,
                String.class,
                WireFormat::writeString,
                in -> nonNull(WireFormat.readString(in, limits, "a String"), "String"));
        put(
                m,
                25,
                UUID.class,
                (o, v) -> {
                    o.writeLong(v.getMostSignificantBits());
                    o.writeLong(v.getLeastSignificantBits());
                },
                in -> new UUID(in.readLong(), in.readLong()));
        put(
                m,
                26,
                BigInteger.class,
                (o, v) -> writeBigInteger(o, v),
                in -> readBigInteger(in, limits));
        put(
                m,
                27,
                BigDecimal.class,
                (o, v) -> {
                    exact(v, BigDecimal.class);
                    writeBigInteger(o, v.unscaledValue());
                    o.writeVarInt(v.scale(), false);
                },
                in -> new BigDecimal(readBigInteger(in, limits), in.readVarInt(false)));
        put(
                m,
                28,
                Instant.class,
                (o, v) -> {
                    o.writeVarLong(v.getEpochSecond(), false);
                    o.writeVarInt(v.getNano(), true);
                },
                in -> Instant.ofEpochSecond(in.readVarLong(false), in.readVarInt(true)));
        put(
                m,
                29,
                Duration.class,
                (o, v) -> {
                    o.writeVarLong(v.getSeconds(), false);
                    o.writeVarInt(v.getNano(), true);
                },
                in -> Duration.ofSeconds(in.readVarLong(false), in.readVarInt(true)));
        put(m, 30, LocalDate.class, ScalarSerializers::writeDate, ScalarSerializers::readDate);
        put(
                m,
                31,
                LocalTime.class,
                (o, v) -> o.writeVarLong(v.toNanoOfDay(), true),
                in -> LocalTime.ofNanoOfDay(in.readVarLong(true)));
        put(
                m,
                32,
                LocalDateTime.class,
                ScalarSerializers::writeDateTime,
                ScalarSerializers::readDateTime);
        put(
                m,
                33,
                ZoneOffset.class,
                (o, v) -> o.writeVarInt(v.getTotalSeconds(), false),
                in -> ZoneOffset.ofTotalSeconds(in.readVarInt(false)));
        put(
                m,
                34,
                ZoneId.class,
                (o, v) -> WireFormat.writeString(o, v.getId()),
                in -> ZoneId.of(nonNull(WireFormat.readString(in, limits, "a ZoneId"), "ZoneId")));
        put(
                m,
                35,
                OffsetDateTime.class,
                (o, v) -> {
                    writeDateTime(o, v.toLocalDateTime());
                    o.writeVarInt(v.getOffset().getTotalSeconds(), false);
                },
                in ->
                        OffsetDateTime.of(
                                readDateTime(in), ZoneOffset.ofTotalSeconds(in.readVarInt(false))));
        put(
                m,
                36,
                OffsetTime.class,
                (o, v) -> {
                    o.writeVarLong(v.toLocalTime().toNanoOfDay(), true);
                    o.writeVarInt(v.getOffset().getTotalSeconds(), false);
                },
                in ->
                        OffsetTime.of(
                                LocalTime.ofNanoOfDay(in.readVarLong(true)),
                                ZoneOffset.ofTotalSeconds(in.readVarInt(false))));
        put(
                m,
                37,
                ZonedDateTime.class,
                (o, v) -> {
                    writeDateTime(o, v.toLocalDateTime());
                    o.writeVarInt(v.getOffset().getTotalSeconds(), false);
                    WireFormat.writeString(o, v.getZone().getId());
                },
                in -> {
                    LocalDateTime ldt = readDateTime(in);
                    ZoneOffset offset = ZoneOffset.ofTotalSeconds(in.readVarInt(false));
                    ZoneId zone =
                            ZoneId.of(
                                    nonNull(
                                            WireFormat.readString(in, limits, "a ZoneId"),
                                            "ZoneId"));
                    return ZonedDateTime.ofLocal(ldt, zone, offset);
                });
        put(
                m,
                38,
                Period.class,
                (o, v) -> {
                    o.writeVarInt(v.getYears(), false);
                    o.writeVarInt(v.getMonths(), false);
                    o.writeVarInt(v.getDays(), false);
                },
                in -> Period.of(in.readVarInt(false), in.readVarInt(false), in.readVarInt(false)));
        put(
                m,
                39,
                Year.class,
                (o, v) -> o.writeVarInt(v.getValue(), false),
                in -> Year.of(in.readVarInt(false)));
        put(
                m,
                40,
                YearMonth.class,
                (o, v) -> {
                    o.writeVarInt(v.getYear(), false);
                    o.writeByte(v.getMonthValue());
                },
                in -> YearMonth.of(in.readVarInt(false), in.readByte()));
        put(
                m,
                41,
                MonthDay.class,
                (o, v) -> {
                    o.writeByte(v.getMonthValue());
                    o.writeByte(v.getDayOfMonth());
                },
                in -> MonthDay.of(in.readByte(), in.readByte()));
        put(m, 42, Bytes.class, ScalarSerializers::writeBytes, in -> readBytes(in, limits));
        return m;
    }

    /** A built-in type with its fixed id. */
    record Fixed(int id, Serializer<?> serializer) {}

    private static <T> void put(
            Map<Class<?>, Fixed> m, int id, Class<T> type, Writer<T> w, Reader<T> r) {
        m.put(type, new Fixed(id, new Lambda<>(w, r)));
    }

    private static void writeDate(Output o, LocalDate d) {
        o.writeVarInt(d.getYear(), false);
        o.writeByte(d.getMonthValue());
        o.writeByte(d.getDayOfMonth());
    }

    private static LocalDate readDate(Input in) {
        return LocalDate.of(in.readVarInt(false), in.readByte(), in.readByte());
    }

    private static void writeDateTime(Output o, LocalDateTime v) {
        writeDate(o, v.toLocalDate());
        o.writeVarLong(v.toLocalTime().toNanoOfDay(), true);
    }

    private static LocalDateTime readDateTime(Input in) {
        LocalDate date = readDate(in);
        return LocalDateTime.of(date, LocalTime.ofNanoOfDay(in.readVarLong(true)));
    }

    /**
     * A {@link Bytes}: a varint of its size, then the raw bytes. Bounded by max-message-bytes (the
     * whole message must fit in it), checked before anything is copied.
     */
    private static void writeBytes(Output o, Bytes v) {
        int n = v.size();
        if (o instanceof TroupeOutput t) {
            int max = t.limits().maxMessageBytes();
            if (n > max) {
                throw t.overLimit("a Bytes of " + n + " bytes", max, "max-message-bytes");
            }
            o.writeVarInt(n, true);
            t.writeBuffer(v.asReadOnlyByteBuffer());
            return;
        }
        o.writeVarInt(n, true);
        ByteBuffer view = v.asReadOnlyByteBuffer();
        byte[] chunk = new byte[Math.min(n, 8192)];
        while (view.hasRemaining()) {
            int k = Math.min(chunk.length, view.remaining());
            view.get(chunk, 0, k);
            o.writeBytes(chunk, 0, k);
        }
    }

    private static Bytes readBytes(Input in, CodecLimits limits) {
        int n = WireFormat.readCount(in, limits.maxMessageBytes(), "a Bytes", "max-message-bytes");
        int pos = in.position();
        Bytes b = Bytes.copyOf(in.getBuffer(), pos, n);
        in.setPosition(pos + n);
        return b;
    }

    private static void writeBigInteger(Output o, BigInteger v) {
        exact(v, BigInteger.class);
        byte[] bytes = v.toByteArray();
        if (o instanceof TroupeOutput t && bytes.length > t.limits().maxStringBytes()) {
            // Decoding bounds a BigInteger's bytes by max-string-bytes.
            throw t.overLimit(
                    "a BigInteger of " + bytes.length + " bytes",
                    t.limits().maxStringBytes(),
                    "max-string-bytes");
        }
        o.writeVarInt(bytes.length, true);
        o.writeBytes(bytes);
    }

    private static BigInteger readBigInteger(Input in, CodecLimits limits) {
        int n =
                WireFormat.readCount(
                        in, limits.maxStringBytes(), "a BigInteger", "max-string-bytes");
        if (n == 0) {
            throw new CodecException(
                    "Corrupt frame: a BigInteger with 0 bytes (at least 1 is always written)");
        }
        return new BigInteger(in.readBytes(n));
    }

    /**
     * BigInteger and BigDecimal are not final: a subclass could be mutable, so only the JDK class
     * travels.
     */
    static void exact(Object v, Class<?> type) {
        if (v.getClass() != type) {
            throw new CodecException(
                    "A "
                            + v.getClass().getName()
                            + " (a subclass of "
                            + type.getName()
                            + ") cannot be sent: subclasses may be mutable; convert it to a plain "
                            + type.getSimpleName()
                            + " first");
        }
    }

    static <T> T nonNull(T value, String what) {
        if (value == null) {
            throw new CodecException(
                    "Corrupt frame: a null marker where a non-null " + what + " was expected");
        }
        return value;
    }
}
