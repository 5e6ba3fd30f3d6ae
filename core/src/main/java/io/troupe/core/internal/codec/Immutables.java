package io.troupe.core.internal.codec;

import io.troupe.core.codec.CodecException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The run-time half of the immutability check: a component declared as {@code List} must hold a
 * list that cannot change ({@code List.of}, {@code List.copyOf}, {@code Stream.toList()}, ...), not
 * an {@code ArrayList} or an unmodifiable view of one. Decoded collections are built the same way,
 * so what a receiver gets is immutable too.
 *
 * <p>Thread safety: stateless apart from a {@link ClassValue} cache.
 */
final class Immutables {
    private Immutables() {}

    private static final ClassValue<Boolean> IMMUTABLE =
            new ClassValue<>() {
                @Override
                protected Boolean computeValue(Class<?> c) {
                    String n = c.getName();
                    return n.startsWith("java.util.ImmutableCollections$")
                            || n.equals("java.util.Collections$EmptyList")
                            || n.equals("java.util.Collections$SingletonList")
                            || n.equals("java.util.Collections$EmptySet")
                            || n.equals("java.util.Collections$SingletonSet")
                            || n.equals("java.util.Collections$EmptyMap")
                            || n.equals("java.util.Collections$SingletonMap");
                }
            };

    static void check(Object collection, ValueCodecs.Kind kind, String where) {
        if (IMMUTABLE.get(collection.getClass())) {
            return;
        }
        String iface =
                switch (kind) {
                    case LIST -> "List";
                    case SET -> "Set";
                    case MAP -> "Map";
                };
        String name = collection.getClass().getName();
        String why =
                name.startsWith("java.util.Collections$Unmodifiable")
                        ? "an unmodifiable view, whose backing collection can still change after the message is sent"
                        : "a mutable collection, which can change after the message is sent";
        throw new CodecException(
                where
                        + " holds a "
                        + name
                        + " at run time, "
                        + why
                        + ": copy it in the record's compact constructor,"
                        + " e.g. items = "
                        + iface
                        + ".copyOf(items)");
    }

    static List<Object> list(Object[] items) {
        for (Object o : items) {
            if (o == null) {
                return Arrays.stream(items).toList(); // immutable and, unlike List.of, allows nulls
            }
        }
        return List.of(items);
    }

    static Set<Object> set(Object[] items, String where) {
        try {
            return Set.of(items);
        } catch (NullPointerException | IllegalArgumentException e) {
            throw new CodecException(
                    "Corrupt frame: "
                            + where
                            + " holds a null or repeated element ("
                            + e.getMessage()
                            + "); Sets sent by Troupe never do");
        }
    }

    @SuppressWarnings("unchecked")
    static Map<Object, Object> map(Object[] kv, String where) {
        Map.Entry<Object, Object>[] entries = new Map.Entry[kv.length / 2];
        try {
            for (int i = 0; i < entries.length; i++) {
                entries[i] = Map.entry(kv[2 * i], kv[2 * i + 1]);
            }
            return Map.ofEntries(entries);
        } catch (NullPointerException | IllegalArgumentException e) {
            throw new CodecException(
                    "Corrupt frame: "
                            + where
                            + " holds a null or repeated key, or a null value ("
                            + e.getMessage()
                            + "); Maps sent by Troupe never do");
        }
    }
}
