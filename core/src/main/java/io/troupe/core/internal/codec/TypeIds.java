package io.troupe.core.internal.codec;

import io.troupe.core.WireName;
import java.nio.charset.StandardCharsets;

/**
 * Stable wire ids. A registered type's id is a hash (FNV-1a, 32 bit) of its wire name, its binary
 * class name unless {@link WireName} says otherwise, so every process derives the same id whatever
 * order it registers protocols in. Ids fall in {@code [1024, 2^28 - 2)}, which Kryo's varint writes
 * in at most four bytes; ids below 1024 are reserved for Troupe's built-in types.
 *
 * <p>Thread safety: stateless.
 */
public final class TypeIds {
    static final int FIRST_HASHED = 1024;
    private static final int RANGE = (1 << 28) - 2 - FIRST_HASHED;

    private TypeIds() {}

    public static String wireName(Class<?> type) {
        WireName w = type.getAnnotation(WireName.class);
        return w != null ? w.value() : type.getName();
    }

    public static int idOf(Class<?> type) {
        return idOf(wireName(type));
    }

    public static int idOf(String wireName) {
        int h = 0x811c9dc5;
        for (byte b : wireName.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return FIRST_HASHED + Integer.remainderUnsigned(h, RANGE);
    }
}
