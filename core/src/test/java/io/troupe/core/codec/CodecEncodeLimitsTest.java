package io.troupe.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Every limit the receiver enforces when decoding is checked when encoding too, so that the sender
 * hears of a message the receiver would refuse, with the message class, the component, the size
 * found, the limit and the setting to change.
 */
class CodecEncodeLimitsTest {
    private static final String SMALL = Samples.Small.class.getName();
    private static final String SMALL_NAME = "Samples.Small.name (in " + SMALL + ")";

    /** Small limits, so that the tests stay small. */
    private final MessageCodec tight = codec(new CodecLimits(1000, 10, 10, 64));

    /** The defaults: what a receiver with the default limits would accept. */
    private final MessageCodec roomy = codec(CodecLimits.defaults());

    private static MessageCodec codec(CodecLimits limits) {
        MessageCodec codec = new MessageCodec(limits);
        codec.register(Samples.Command.class);
        return codec;
    }

    private CodecException refused(Object message) {
        CodecException e = assertThrows(CodecException.class, () -> tight.encode(message));
        // The receiver would have refused it too: the two checks agree.
        assertThrows(CodecException.class, () -> tight.decode(roomy.encode(message)));
        return e;
    }

    private static void assertMentions(CodecException e, String... parts) {
        for (String part : parts) {
            assertTrue(
                    e.getMessage().contains(part), "'" + part + "' missing in: " + e.getMessage());
        }
    }

    @Test
    void shouldRefuseAStringOverMaxStringBytesWhenEncoding() {
        CodecException ascii = refused(new Samples.Small(1, 2, "a".repeat(11), true));
        assertMentions(
                ascii,
                "Cannot encode " + SMALL + ": ",
                SMALL_NAME + " holds a String of 11 UTF-8 bytes",
                "over the limit troupe.core.codec.max-string-bytes = 10",
                "raise troupe.core.codec.max-string-bytes on every node");
        // 6 chars, 12 UTF-8 bytes: the limit counts bytes, as decoding does.
        CodecException utf8 = refused(new Samples.Small(1, 2, "é".repeat(6), true));
        assertMentions(utf8, SMALL_NAME + " holds a String of 12 UTF-8 bytes");
        // A string far over the limit is refused before it is converted or copied.
        CodecException huge = refused(new Samples.Small(1, 2, "€".repeat(100_000), true));
        assertMentions(huge, "a String of 300000 UTF-8 bytes");
    }

    @Test
    void shouldAcceptAStringOfExactlyMaxStringBytes() {
        Samples.Small atLimit = new Samples.Small(1, 2, "é".repeat(5), true);
        assertEquals(atLimit, tight.decode(tight.encode(atLimit)));
    }

    @Test
    void shouldNameTheInnermostComponentOfANestedRecord() {
        Samples.Envelope nested =
                new Samples.Envelope(
                        new Samples.Tree(
                                "root", List.of(new Samples.Tree("x".repeat(20), List.of()))));
        assertMentions(
                refused(nested),
                "Cannot encode " + Samples.Envelope.class.getName(),
                "Samples.Tree.label (in " + Samples.Tree.class.getName() + ") holds a String of 20",
                "max-string-bytes = 10");
    }

    @Test
    void shouldRefuseACollectionOverMaxCollectionSizeWhenEncoding() {
        List<String> eleven = IntStream.range(0, 11).mapToObj(i -> "n").toList();
        assertMentions(
                refused(new Samples.Holder(eleven)),
                "Cannot encode " + Samples.Holder.class.getName(),
                "Samples.Holder.names (in "
                        + Samples.Holder.class.getName()
                        + ") holds a List of 11 elements",
                "over the limit troupe.core.codec.max-collection-size = 10",
                "raise troupe.core.codec.max-collection-size");
        Map<Integer, Integer> map = new HashMap<>();
        IntStream.range(0, 11).forEach(i -> map.put(i, i));
        assertMentions(
                refused(Map.copyOf(map)),
                "a Map message holds a Map of 11 entries",
                "max-collection-size = 10");
        List<String> ten = IntStream.range(0, 10).mapToObj(i -> "n").toList();
        assertEquals(new Samples.Holder(ten), tight.decode(tight.encode(new Samples.Holder(ten))));
    }

    @Test
    void shouldRefuseABigIntegerOverMaxStringBytesWhenEncoding() {
        BigInteger big = BigInteger.ONE.shiftLeft(100); // 13 bytes
        assertMentions(
                refused(List.of(big)),
                "holds a BigInteger of 13 bytes",
                "over the limit troupe.core.codec.max-string-bytes = 10");
    }

    @Test
    void shouldRefuseAMessageOverMaxMessageBytesWithItsSize() {
        MessageCodec codec = codec(new CodecLimits(1000, 1 << 20, 1 << 20, 64));
        Samples.Small big = new Samples.Small(1, 2, "x".repeat(2000), true);
        int size = roomy.encode(big).length;
        CodecException e = assertThrows(CodecException.class, () -> codec.encode(big));
        assertMentions(
                e,
                "Cannot encode " + SMALL + ": its encoding is " + size + " bytes",
                "(the limit was reached in " + SMALL_NAME + ")",
                "over the limit troupe.core.codec.max-message-bytes = 1000",
                "raise troupe.core.codec.max-message-bytes on every node");
        assertThrows(CodecException.class, () -> codec.decode(roomy.encode(big)));
    }

    @Test
    void shouldRefuseNestingOverMaxDepthWhenEncoding() {
        Samples.Tree tree = new Samples.Tree("leaf", List.of());
        for (int i = 0; i < 70; i++) {
            tree = new Samples.Tree("n", List.of(tree));
        }
        Samples.Tree deep = tree;
        CodecException e = assertThrows(CodecException.class, () -> roomy.encode(deep));
        assertMentions(
                e,
                "Cannot encode " + Samples.Tree.class.getName(),
                "more than 64 levels deep",
                "Samples.Tree.children (in " + Samples.Tree.class.getName() + ")",
                "over the limit troupe.core.codec.max-depth = 64",
                "raise troupe.core.codec.max-depth on every node");
    }

    @Test
    void shouldKeepEncodingOnTheSameThreadAfterARefusal() {
        assertThrows(
                CodecException.class,
                () -> tight.encode(new Samples.Small(1, 2, "a".repeat(11), true)));
        Samples.Small ok = new Samples.Small(1, 2, "ok", true);
        assertEquals(ok, tight.decode(tight.encode(ok)));
    }
}
