package io.troupe.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.io.Output;
import io.troupe.core.internal.codec.TypeIds;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A frame that names a class outside the registered protocols, by Troupe's type id or by Kryo's
 * class-name encoding, is rejected without loading, initialising or instantiating that class.
 */
class GadgetTest {
    /** Counts every static initialisation, construction and readObject of the gadget. */
    static final AtomicInteger TOUCHED = new AtomicInteger();

    /**
     * Stands for a gadget class that happens to be on the class path; a record so its id is
     * computable.
     */
    record Gadget(String command) implements Serializable {
        static {
            TOUCHED.incrementAndGet();
        }

        Gadget {
            TOUCHED.incrementAndGet();
        }

        private void readObject(ObjectInputStream in) {
            TOUCHED.incrementAndGet();
        }
    }

    private static final String GADGET_NAME = "io.troupe.core.codec.GadgetTest$Gadget";

    private final MessageCodec codec = MessageCodec.create();

    {
        codec.register(Samples.Command.class);
    }

    @Test
    void shouldRejectAFrameNamingAnUnregisteredClassByItsTypeIdWithoutTouchingIt() {
        int id = TypeIds.idOf(GADGET_NAME);
        Output out = new Output(64, 1024);
        out.writeVarInt(id + 2, true);
        out.writeVarInt(8, true);
        out.writeString("rm -rf");
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(out.toBytes()));
        assertTrue(e.getMessage().contains("unknown type id " + id), e.getMessage());
        assertEquals(0, TOUCHED.get(), "the gadget class was initialised or instantiated");
    }

    @Test
    void shouldRejectKryosClassNameEncodingWithoutLoadingTheClass() {
        // Kryo's default resolver reads id 1 ("NAME") followed by a class name and loads that
        // class.
        for (String name :
                new String[] {
                    GADGET_NAME, "java.lang.ProcessBuilder", "javax.script.ScriptEngineManager"
                }) {
            Output out = new Output(128, 1024);
            out.writeVarInt(1, true);
            out.writeVarInt(0, true);
            out.writeString(name);
            CodecException e =
                    assertThrows(CodecException.class, () -> codec.decode(out.toBytes()));
            assertTrue(e.getMessage().contains("unknown type id -1"), e.getMessage());
        }
        assertEquals(0, TOUCHED.get(), "the gadget class was initialised or instantiated");
    }
}
