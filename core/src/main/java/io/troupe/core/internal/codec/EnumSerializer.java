package io.troupe.core.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.troupe.core.codec.CodecException;

/**
 * An enum constant as its ordinal. The receiver gets its own process's constant, so enum state is
 * never copied. Reordering an enum's constants changes its wire encoding (the golden-bytes tests of
 * a protocol catch that).
 *
 * <p>Thread safety: immutable; shared by all Kryo instances.
 */
final class EnumSerializer extends Serializer<Enum<?>> {
    private final Class<?> type;
    private final Enum<?>[] constants;

    EnumSerializer(Class<?> type) {
        super(false, true);
        this.type = type;
        this.constants = (Enum<?>[]) type.getEnumConstants();
    }

    @Override
    public void write(Kryo kryo, Output output, Enum<?> value) {
        output.writeVarInt(value.ordinal(), true);
    }

    @Override
    public Enum<?> read(Kryo kryo, Input input, Class<? extends Enum<?>> ignored) {
        int ordinal = input.readVarInt(true);
        if (ordinal < 0 || ordinal >= constants.length) {
            throw new CodecException(
                    "Corrupt frame: enum "
                            + type.getName()
                            + " has "
                            + constants.length
                            + " constants but the frame names ordinal "
                            + ordinal);
        }
        return constants[ordinal];
    }
}
