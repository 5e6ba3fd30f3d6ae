package io.troupe.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.esotericsoftware.kryo.io.Output;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Inbound bytes are untrusted: every malformed frame gives a CodecException, never another
 * throwable.
 */
class CodecHostileInputTest {
    private final MessageCodec codec = MessageCodec.create();

    {
        codec.register(Samples.Command.class);
    }

    private CodecException rejected(byte[] frame) {
        return rejected(frame, 0, frame.length);
    }

    private CodecException rejected(byte[] frame, int off, int len) {
        try {
            Object o = codec.decode(frame, off, len);
            fail("decoded a hostile frame into " + o);
            return null;
        } catch (CodecException e) {
            return e;
        } catch (Throwable t) {
            throw new AssertionError(
                    "a hostile frame escaped as "
                            + t
                            + " instead of a CodecException: "
                            + Arrays.toString(frame),
                    t);
        }
    }

    /** Decodes, allowing either a value or a CodecException; anything else fails the test. */
    private void survives(byte[] frame) {
        try {
            codec.decode(frame);
        } catch (CodecException expected) {
            // fine
        } catch (Throwable t) {
            throw new AssertionError("frame escaped as " + t + ": " + Arrays.toString(frame), t);
        }
    }

    private static byte[] frame(int typeId, Consumer<Output> body) {
        Output out = new Output(64, 1 << 20);
        out.writeVarInt(typeId + 2, true);
        body.accept(out);
        return out.toBytes();
    }

    @Test
    void shouldRejectEveryTruncationOfAValidFrame() {
        byte[] full = codec.encode(Samples.everything());
        for (int len = 1; len < full.length; len++) {
            CodecException e = rejected(full, 0, len);
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
        }
        CodecException empty = rejected(new byte[0]);
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    }

    @Test
    void shouldRejectTrailingBytes() {
        byte[] full = codec.encode(new Samples.Small(1, 2, "x", true));
        byte[] longer = Arrays.copyOf(full, full.length + 3);
        assertTrue(rejected(longer).getMessage().contains("3 bytes left over"));
    }

    @Test
    void shouldRejectAnUnknownTypeIdWithoutLoadingAnything() {
        CodecException e = rejected(frame(987_654, o -> o.writeInt(1)));
        assertTrue(e.getMessage().contains("unknown type id 987654"), e.getMessage());
        // Kryo's default resolver would read a class name after id 1 ("NAME") and load it; ours
        // never does.
        CodecException byName = rejected(frame(-1, o -> o.writeString("java.util.ArrayList")));
        assertTrue(byName.getMessage().contains("unknown type id -1"), byName.getMessage());
    }

    @Test
    void shouldRejectHugeDeclaredLengthsBeforeAllocating() {
        int smallId = MessageCodec.wireId(Samples.Small.class);
        CodecException s =
                rejected(
                        frame(
                                smallId,
                                o -> {
                                    o.writeVarInt(1, false);
                                    o.writeVarLong(2, false);
                                    o.writeVarInt(Integer.MAX_VALUE, true); // string length
                                }));
        assertTrue(s.getMessage().contains("max-string-bytes"), s.getMessage());
        CodecException within =
                rejected(
                        frame(
                                smallId,
                                o -> {
                                    o.writeVarInt(1, false);
                                    o.writeVarLong(2, false);
                                    o.writeVarInt(
                                            1000 + 1,
                                            true); // plausible length, but the bytes are not there
                                }));
        assertTrue(
                within.getMessage().contains("Truncated") && within.getMessage().contains("only"),
                within.getMessage());
        int holderId = MessageCodec.wireId(Samples.Holder.class);
        CodecException list = rejected(frame(holderId, o -> o.writeVarInt(2_000_000_000, true)));
        assertTrue(list.getMessage().contains("max-collection-size"), list.getMessage());
        CodecException listTruncated = rejected(frame(holderId, o -> o.writeVarInt(500_000, true)));
        assertTrue(listTruncated.getMessage().contains("Truncated"), listTruncated.getMessage());
    }

    @Test
    void shouldRejectAFrameLargerThanTheLimitUnread() {
        MessageCodec small = new MessageCodec(CodecLimits.defaults().withMaxMessageBytes(100));
        CodecException e = assertThrows(CodecException.class, () -> small.decode(new byte[101]));
        assertTrue(
                e.getMessage().contains("101 bytes")
                        && e.getMessage().contains("max-message-bytes = 100"),
                e.getMessage());
    }

    @Test
    void shouldRejectAWrongTypeInASealedComponentAndABadEnumOrdinal() {
        CodecException ord =
                rejected(
                        frame(
                                MessageCodec.wireId(Samples.Level.class),
                                o -> o.writeVarInt(99, true)));
        assertTrue(ord.getMessage().contains("ordinal 99"), ord.getMessage());
        // An Envelope whose Command component holds a String (a registered built-in, but not a
        // Command).
        CodecException wrong =
                rejected(
                        frame(
                                MessageCodec.wireId(Samples.Envelope.class),
                                o -> {
                                    o.writeVarInt(24 + 2, true); // String's fixed id
                                    o.writeVarInt(2, true);
                                    o.writeByte('x');
                                }));
        assertTrue(
                wrong.getMessage().contains("Envelope.inner")
                        && wrong.getMessage().contains("java.lang.String"),
                wrong.getMessage());
        Samples.Envelope ok =
                new Samples.Envelope(
                        new Samples.Tree("a", List.of(new Samples.Tree("b", List.of()))));
        assertEquals(ok, codec.decode(codec.encode(ok)));
    }

    @Test
    void shouldSurviveRandomAndMutatedFrames() {
        Random random = new Random(42);
        List<byte[]> seeds =
                List.of(
                        codec.encode(Samples.everything()),
                        codec.encode(new Samples.Small(1, 2, "abc", true)),
                        codec.encode(
                                new Samples.Tree("x", List.of(new Samples.Tree("y", List.of())))),
                        codec.encode(List.of("a", 1)));
        for (int i = 0; i < 20_000; i++) {
            byte[] f = new byte[1 + random.nextInt(64)];
            random.nextBytes(f);
            survives(f);
        }
        for (int i = 0; i < 50_000; i++) {
            byte[] f = seeds.get(i % seeds.size()).clone();
            int flips = 1 + random.nextInt(4);
            for (int k = 0; k < flips; k++) {
                f[random.nextInt(f.length)] = (byte) random.nextInt(256);
            }
            survives(f);
        }
        // After all that, the codec still works on this thread.
        assertEquals(Samples.everything(), codec.decode(codec.encode(Samples.everything())));
    }

    @Test
    void shouldRejectDeeplyNestedHostileFrames() {
        // Tree(label, children=[Tree(...)]) repeated 10,000 times: a stack bomb if depth were not
        // limited.
        int treeId = MessageCodec.wireId(Samples.Tree.class);
        Output out = new Output(1 << 16, 1 << 20);
        out.writeVarInt(treeId + 2, true);
        for (int i = 0; i < 10_000; i++) {
            out.writeByte(1); // label: empty string
            out.writeVarInt(2, true); // one child
            out.writeByte(1); // not-null marker of the child
        }
        CodecException e = rejected(out.toBytes());
        assertTrue(
                e.getMessage().contains("max-depth") || e.getMessage().contains("Truncated"),
                e.getMessage());
    }

    @Test
    void shouldTurnAConstructorsRefusalIntoACodecException() {
        // Tree's compact constructor calls List.copyOf, which rejects a null list.
        int treeId = MessageCodec.wireId(Samples.Tree.class);
        CodecException e =
                rejected(
                        frame(
                                treeId,
                                o -> {
                                    o.writeByte(1); // label ""
                                    o.writeByte(0); // children = null
                                }));
        assertTrue(
                e.getMessage().contains("constructor of") && e.getMessage().contains("Tree"),
                e.getMessage());
    }
}
