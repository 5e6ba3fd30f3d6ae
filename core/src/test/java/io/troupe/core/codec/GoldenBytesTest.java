package io.troupe.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.troupe.core.Bytes;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Freezes the wire encoding. If one of these fails, the bytes another process (an older build)
 * sends or expects have changed: that breaks interoperability between processes running different
 * builds. Change the expected hex only on purpose, and say so in the commit.
 */
class GoldenBytesTest {
    private final MessageCodec codec = MessageCodec.create();

    {
        codec.register(Samples.Command.class);
    }

    static Object[] messages() {
        return new Object[] {
            new Samples.Small(123, 1_700_000_000_000L, "alice", true),
            Samples.Level.HIGH,
            Samples.Level.MID,
            new Samples.Tree("root", List.of(new Samples.Tree("leaf", List.of()))),
            new Samples.Envelope(new Samples.Small(-1, -2L, null, false)),
            "text",
            -42,
            List.of("x", 7, Samples.Level.LOW),
            Optional.of(1.5),
            Samples.everythingDeterministic(),
        };
    }

    private static final String[] EXPECTED = {
        "93efda67f60180a0abfef96206616c69636501",
        "e6f1e52302",
        "e6f1e52301",
        "b8c8e77405726f6f740201056c65616601",
        "92a89b4893efda6701030000",
        "1a0574657874",
        "1653",
        "32041a0278160ee6f1e52300",
        "350219000000000000f83f",
        "e997e719f92c01bb03ff880fd4db80cb490000c03f182d4454fb21094001010101feff01780001540101010000204001"
                + "000000000000008001001268c3a96c6c6f2077c3b6726c6420e29c9301d3129be867453e1200401714664256a4010dfe"
                + "7116f0093c8c1f11b1c0f52e01091107d5eb5b5ba4d7c6280180c49fd50c959aef3a010380cab5ee0101d41f0b1b01e7"
                + "dfe5d0c1d21301a01f01010001d41f021c80a08f88d69d0a9f99020184dcdea0ad6c0001d41f031d80e098d4daee02c0"
                + "700d4575726f70652f506172697301b0b5020111416d65726963612f4e65775f596f726b010203060157019e1f0c0102"
                + "1d010104026101026302010e02026b0102020870726573656e74010493efda670204027800e6f1e52302b8c8e7740274"
                + "0102010002010608027901",
    };

    @Test
    void shouldEncodeEachSampleToItsFrozenBytes() {
        Object[] messages = messages();
        for (int i = 0; i < messages.length; i++) {
            assertEquals(
                    EXPECTED[i],
                    HexFormat.of().formatHex(codec.encode(messages[i])),
                    "wire bytes of " + messages[i]);
        }
    }

    @Test
    void shouldDecodeTheFrozenBytes() {
        Object[] messages = messages();
        for (int i = 0; i < messages.length; i++) {
            assertEquals(messages[i], codec.decode(HexFormat.of().parseHex(EXPECTED[i])));
        }
    }

    /**
     * {@link Bytes}, under its fixed id 42: a varint of the length, then the raw bytes. Kept apart
     * from {@link #EXPECTED} so that the frozen bytes above stay as they were before Bytes existed.
     */
    private static final Map<Object, String> BYTES =
            Map.of(
                    Bytes.copyOf(new byte[] {1, 2, 3}),
                    "2c03010203",
                    Bytes.empty(),
                    "2c00",
                    new Samples.Blob(
                            "b",
                            Bytes.copyOf(new byte[] {(byte) 0xca, (byte) 0xfe}),
                            Optional.of(Bytes.copyOf(new byte[] {1}))),
                    "c3c1af6902620102cafe02010101",
                    new Samples.Blob("n", null, Optional.empty()),
                    "c3c1af69026e0001",
                    List.of(Bytes.copyOf(new byte[] {9})),
                    "32022c0109");

    @Test
    void shouldEncodeBytesToTheirFrozenBytes() {
        BYTES.forEach(
                (message, hex) -> {
                    assertEquals(
                            hex,
                            HexFormat.of().formatHex(codec.encode(message)),
                            "wire bytes of " + message);
                    assertEquals(message, codec.decode(HexFormat.of().parseHex(hex)));
                });
    }

    @Test
    void shouldKeepTheStableIdsOfTypes() {
        assertEquals(MessageCodec.wireId(Samples.Small.class), TypeIdsOracle.SMALL);
    }

    /** The id of Samples.Small, from the FNV-1a hash of its binary name. */
    static final class TypeIdsOracle {
        static final int SMALL = 217_495_441;
    }
}
