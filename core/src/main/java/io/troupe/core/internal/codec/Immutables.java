package io.troupe.core.internal.codec;

import io.troupe.core.codec.CodecException;
import java.util.Arrays;
import java.util.HashSet;
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

    /**
     * {@code Set.of} and {@code Map.ofEntries} describe a repeated element with its {@code
     * toString()}: for decoded, untrusted values that costs work the frame did not pay for (the
     * first call of a record's {@code toString} alone allocates about 1 MB of method handles) and
     * would copy the frame's contents into an error message and the logs. So repeats are counted
     * here first, and the errors name only the position.
     */
    static Set<Object> set(Object[] items, String where) {
        Set<Object> distinct = new HashSet<>(capacity(items.length));
        for (int i = 0; i < items.length; i++) {
            if (items[i] == null) {
                throw corrupt(where, "a null element (at index " + i + ")", "Sets");
            }
            if (!distinct.add(items[i])) {
                throw corrupt(where, "a repeated element (at index " + i + ")", "Sets");
            }
        }
        return Set.of(items);
    }

    @SuppressWarnings("unchecked")
    static Map<Object, Object> map(Object[] kv, String where) {
        Map.Entry<Object, Object>[] entries = new Map.Entry[kv.length / 2];
        Set<Object> keys = new HashSet<>(capacity(entries.length));
        for (int i = 0; i < entries.length; i++) {
            Object k = kv[2 * i];
            Object v = kv[2 * i + 1];
            if (k == null || v == null) {
                throw corrupt(where, "a null key or value (entry " + i + ")", "Maps");
            }
            if (!keys.add(k)) {
                throw corrupt(where, "a repeated key (entry " + i + ")", "Maps");
            }
            entries[i] = Map.entry(k, v);
        }
        return Map.ofEntries(entries);
    }

    private static int capacity(int elements) {
        return (int) Math.min(Integer.MAX_VALUE, elements * 4L / 3 + 1);
    }

    private static CodecException corrupt(String where, String what, String kind) {
        return new CodecException(
                "Corrupt frame: "
                        + where
                        + " holds "
                        + what
                        + "; "
                        + kind
                        + " sent by Troupe never do");
    }
}
