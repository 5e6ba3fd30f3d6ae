package io.troupe.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorRef;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProtocolCheckTest {

    // ---- accepted shapes ----
    sealed interface Shop permits Order, Cancel, Status, Query {}

    enum Status implements Shop {
        OPEN,
        CLOSED
    }

    record Item(String sku, int quantity, BigDecimal price) {}

    record Order(
            UUID id,
            List<Item> items,
            Map<String, Integer> tags,
            Set<Status> seen,
            Optional<String> note,
            Instant at,
            LocalDate due,
            ActorRef<Reply> replyTo)
            implements Shop {}

    record Cancel(long id, boolean force, char code, double weight, Integer boxed)
            implements Shop {}

    record Query(Inner inner, List<List<String>> nested) implements Shop {}

    sealed interface Inner permits InnerA, InnerB {}

    record InnerA(int a) implements Inner {}

    record InnerB(Inner next) implements Inner {}

    sealed interface Reply permits Accepted, Rejected {}

    record Accepted(UUID id) implements Reply {}

    record Rejected(String reason) implements Reply {}

    @Test
    void shouldAcceptEveryImmutableShapeAndFollowNestedAndReplyTypes() {
        Protocol p = ProtocolCheck.check(Shop.class);
        assertEquals(Shop.class, p.root());
        assertTrue(
                p.types()
                        .containsAll(
                                List.of(
                                        Order.class,
                                        Cancel.class,
                                        Status.class,
                                        Query.class,
                                        Item.class,
                                        InnerA.class,
                                        InnerB.class,
                                        Accepted.class,
                                        Rejected.class)),
                p.types().toString());
        assertTrue(
                p.types().stream().noneMatch(Class::isInterface),
                "only concrete types are registered: " + p.types());
    }

    @Test
    void shouldAcceptASingleRecordOrEnumAsRoot() {
        assertEquals(List.of(Item.class), ProtocolCheck.check(Item.class).types());
        assertEquals(List.of(Status.class), ProtocolCheck.check(Status.class).types());
    }

    // ---- rejections ----
    record WithArray(int[] values) {}

    record WithArrayList(ArrayList<String> names) {}

    record WithObject(Object payload) {}

    record WithRawList(@SuppressWarnings("rawtypes") List items) {}

    record WithDate(Date when) {}

    record WithMutableMapInside(List<HashMap<String, String>> rows) {}

    record Generic<T>(T value) {}

    static final class MutableClass {
        int counter;
    }

    record WithMutableClass(MutableClass state) {}

    interface Open {}

    record WithOpen(Open open) {}

    enum MutableEnum {
        A;
        int hits;
    }

    sealed interface HasNonSealed permits Fine, Leaky {}

    record Fine(int x) implements HasNonSealed {}

    non-sealed interface Leaky extends HasNonSealed {}

    private static String rejection(Class<?> root) {
        return assertThrows(ProtocolViolationException.class, () -> ProtocolCheck.check(root))
                .getMessage();
    }

    @Test
    void shouldRejectArraysNamingClassComponentAndFix() {
        String m = rejection(WithArray.class);
        assertTrue(m.contains("WithArray.values"), m);
        assertTrue(m.contains("is an array"), m);
        assertTrue(m.contains("List<Integer>") && m.contains("List.copyOf"), m);
    }

    @Test
    void shouldRejectMutableCollectionTypes() {
        String m = rejection(WithArrayList.class);
        assertTrue(m.contains("WithArrayList.names"), m);
        assertTrue(m.contains("java.util.ArrayList") && m.contains("mutable collection"), m);
        assertTrue(m.contains("List.copyOf"), m);
        String nested = rejection(WithMutableMapInside.class);
        assertTrue(
                nested.contains("WithMutableMapInside.rows")
                        && nested.contains("java.util.HashMap")
                        && nested.contains("Map.copyOf"),
                nested);
    }

    @Test
    void shouldRejectObjectTypedAndRawComponents() {
        String m = rejection(WithObject.class);
        assertTrue(m.contains("WithObject.payload") && m.contains("Object-typed"), m);
        String raw = rejection(WithRawList.class);
        assertTrue(raw.contains("WithRawList.items") && raw.contains("raw type"), raw);
    }

    @Test
    void shouldRejectMutableJdkValues() {
        String m = rejection(WithDate.class);
        assertTrue(
                m.contains("WithDate.when")
                        && m.contains("java.util.Date")
                        && m.contains("java.time.Instant"),
                m);
    }

    @Test
    void shouldRejectClassesWithNonFinalFields() {
        String m = rejection(WithMutableClass.class);
        assertTrue(
                m.contains("WithMutableClass.state")
                        && m.contains("non-final field 'counter'")
                        && m.contains("make it a record"),
                m);
    }

    @Test
    void shouldRejectOpenHierarchies() {
        String m = rejection(WithOpen.class);
        assertTrue(
                m.contains("WithOpen.open")
                        && m.contains("open (non-sealed)")
                        && m.contains("sealed interface"),
                m);
        String root = rejection(Open.class);
        assertTrue(root.contains("the root") && root.contains("non-sealed"), root);
        String leaky = rejection(HasNonSealed.class);
        assertTrue(
                leaky.contains("Leaky")
                        && leaky.contains("permitted by")
                        && leaky.contains("non-sealed"),
                leaky);
    }

    @Test
    void shouldRejectGenericRecordsAndEnumsWithMutableState() {
        String g = rejection(Generic.class);
        assertTrue(g.contains("generic"), g);
        String e = rejection(MutableEnum.class);
        assertTrue(
                e.contains("MutableEnum.hits")
                        && e.contains("non-final field of an enum")
                        && e.contains("make the field final"),
                e);
    }

    sealed interface ManyProblems permits BadOne, BadTwo {}

    record BadOne(int[] a) implements ManyProblems {}

    record BadTwo(Object b) implements ManyProblems {}

    @Test
    void shouldListEveryViolationAtOnce() {
        ProtocolViolationException e =
                assertThrows(
                        ProtocolViolationException.class,
                        () -> ProtocolCheck.check(ManyProblems.class));
        assertEquals(2, e.violations().size(), e.getMessage());
        assertTrue(e.getMessage().contains("2 problems"), e.getMessage());
    }

    record Upload(String name, Bytes data) {}

    record Raw(byte[] data) {}

    @Test
    void shouldAcceptBytesAndPointAByteArrayToIt() {
        assertEquals(List.of(Upload.class), ProtocolCheck.check(Upload.class).types());
        ProtocolViolationException e =
                assertThrows(
                        ProtocolViolationException.class, () -> ProtocolCheck.check(Raw.class));
        assertTrue(
                e.getMessage().contains("is an array")
                        && e.getMessage().contains("io.troupe.core.Bytes")
                        && e.getMessage().contains("Bytes.copyOf(array)"),
                e.getMessage());
    }
}
