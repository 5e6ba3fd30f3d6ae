package io.troupe.benchmarks.jmh;

import java.util.List;
import java.util.Objects;

/**
 * The messages the codec benchmarks encode and decode, one per size class. Their contents are fixed
 * so that every run, and every system in a run, handles the same bytes.
 *
 * <p>Encoded sizes on the wire, measured (the type id included). Troupe's are larger by its stable
 * type id (a name hash, here four varint bytes, where Kryo's registration-order id takes one) and
 * by writing strings as a length and UTF-8 bytes (Kryo ends an ASCII string by flagging its last
 * byte instead of writing a length):
 *
 * <table>
 *   <caption>encoded sizes</caption>
 *   <tr><th>payload</th><th>Troupe</th><th>naive Kryo</th></tr>
 *   <tr><td>{@link #SMALL}</td><td>32 B</td><td>28 B</td></tr>
 *   <tr><td>{@link #MEDIUM}</td><td>256 B</td><td>246 B</td></tr>
 * </table>
 *
 * {@code java -jar troupe-benchmarks.jar codec} prints the sizes it actually measured.
 *
 * <p>Thread safety: immutable.
 */
public enum Payload {
    /** A {@link Small}: an int, a long, a short ASCII string and a boolean. */
    SMALL(new Small(4711, 1_732_000_000_123L, "order-created-0017", true)),

    /**
     * A {@link Medium}: two longs, three strings, a list of eight strings and a nested {@link
     * Small}: the shape of a typical business event.
     */
    MEDIUM(
            new Medium(
                    9_000_000_042L,
                    1_732_000_000_456L,
                    "customer-0042@example.com",
                    "12 Rue de la Paix, Apt 4, 75002 Paris, France",
                    "leave the parcel at the side door and ring the bell twice, please",
                    List.of(
                            "sku-10001",
                            "sku-10002",
                            "sku-10003",
                            "sku-10004",
                            "sku-10005",
                            "sku-10006",
                            "sku-10007",
                            "sku-10008"),
                    new Small(17, 1_732_000_000_789L, "order-placed", false)));

    private final Object message;

    Payload(Object message) {
        this.message = message;
    }

    /** The message; always the same instance. */
    public Object message() {
        return message;
    }

    /** A small record, about 32 bytes encoded. */
    public record Small(int id, long timestamp, String name, boolean flag) {
        public Small {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A medium record, about 256 bytes encoded. */
    public record Medium(
            long orderId,
            long createdAt,
            String customer,
            String shippingAddress,
            String note,
            List<String> items,
            Small header) {
        public Medium {
            Objects.requireNonNull(customer, "customer");
            Objects.requireNonNull(shippingAddress, "shippingAddress");
            Objects.requireNonNull(note, "note");
            items = List.copyOf(items);
            Objects.requireNonNull(header, "header");
        }
    }
}
