package io.troupe.core;

import io.troupe.core.internal.Shape;
import io.troupe.core.internal.Shapes;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Proves that every message type reachable from a protocol's root is immutable, so that no two
 * actors can ever share mutable state through a message.
 *
 * <p>Accepted: records and enums whose components are primitives, boxed primitives, {@code String},
 * {@code UUID}, {@code BigDecimal}/{@code BigInteger}, {@code java.time} values, {@link Bytes}
 * (binary data; a {@code byte[]} is refused as mutable), enums, records that pass the same check,
 * sealed interfaces of such records, Akka {@code ActorRef}s, and {@code List}/{@code Set}/{@code
 * Map}/{@code Optional} of these. Rejected, each with the class, the component, why and how to fix
 * it: arrays, mutable collection types, classes other than records and enums (non-final fields
 * included), open hierarchies, {@code Object}-typed or generic components.
 *
 * <p>The type of an {@code ActorRef<T>} component is followed when {@code T} is a record, enum or
 * sealed interface, so that a protocol's replies are registered with it.
 *
 * <p>What a static check cannot see, a mutable {@code ArrayList} passed where a {@code List} is
 * declared, the codec catches when the message is encoded.
 *
 * <p>Thread safety: stateless; call from any thread.
 */
public final class ProtocolCheck {
    private ProtocolCheck() {}

    /**
     * Checks the protocol rooted at {@code root}.
     *
     * @return the protocol with every concrete type reachable from the root
     * @throws ProtocolViolationException listing every violation found
     */
    public static Protocol check(Class<?> root) {
        if (root == null) {
            throw new TroupeException(
                    "ProtocolCheck.check(null): pass the protocol's root, e.g. Counter.Command.class");
        }
        Walk walk = new Walk(root);
        walk.run();
        if (!walk.violations.isEmpty()) {
            throw new ProtocolViolationException(
                    "Protocol " + root.getName() + " is not immutable", walk.violations);
        }
        List<Class<?>> types = new ArrayList<>(walk.concrete);
        types.sort(Comparator.comparing(Class::getName));
        return new Protocol(root, types);
    }

    private static final class Walk {
        final Class<?> root;
        final Set<Class<?>> seen = new LinkedHashSet<>();
        final Set<Class<?>> concrete = new LinkedHashSet<>();
        final List<String> violations = new ArrayList<>();
        final Deque<Class<?>> todo = new ArrayDeque<>();

        Walk(Class<?> root) {
            this.root = root;
        }

        void run() {
            Shape rootShape = Shapes.of(root);
            if (rootShape instanceof Shape.Invalid bad) {
                violations.add(
                        "the root " + bad.typeName() + " " + bad.why() + ": " + bad.fix() + ".");
                return;
            }
            if (!(rootShape instanceof Shape.SealedType
                    || rootShape instanceof Shape.RecordType
                    || rootShape instanceof Shape.EnumType)) {
                violations.add(
                        "the root "
                                + root.getName()
                                + " is not a protocol: pass a sealed interface of records and enums,"
                                + " a record or an enum (built-in values such as String need no registration).");
                return;
            }
            todo.add(root);
            while (!todo.isEmpty()) {
                visit(todo.poll());
            }
        }

        void visit(Class<?> c) {
            if (!seen.add(c)) {
                return;
            }
            if (c.isRecord()) {
                concrete.add(c);
                checkRecord(c);
            } else if (c.isEnum()) {
                concrete.add(c);
                checkEnum(c);
            } else if (c.isInterface() && c.isSealed()) {
                for (Class<?> sub : c.getPermittedSubclasses()) {
                    Shape s = Shapes.of(sub);
                    if (s instanceof Shape.Invalid bad) {
                        violations.add(
                                sub.getName()
                                        + " (permitted by "
                                        + c.getName()
                                        + ") "
                                        + bad.why()
                                        + ": "
                                        + bad.fix()
                                        + ".");
                    } else {
                        todo.add(sub);
                    }
                }
            }
        }

        void checkRecord(Class<?> c) {
            if (c.getTypeParameters().length > 0) {
                violations.add(
                        "record "
                                + c.getName()
                                + " is generic; its type parameters are Object at run time:"
                                + " give each component a concrete type and drop the type parameters.");
                return;
            }
            for (RecordComponent rc : c.getRecordComponents()) {
                follow(rc.getGenericType(), c, rc.getName());
            }
        }

        void checkEnum(Class<?> c) {
            List<Field> fields = new ArrayList<>(List.of(c.getDeclaredFields()));
            for (Object constant : c.getEnumConstants()) {
                if (constant.getClass() != c) {
                    fields.addAll(List.of(constant.getClass().getDeclaredFields()));
                }
            }
            for (Field f : fields) {
                if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
                    continue;
                }
                if (!Modifier.isFinal(f.getModifiers())) {
                    violations.add(
                            where(c, f.getName())
                                    + " is a non-final field of an enum, so every actor that holds the constant shares"
                                    + " it: make the field final.");
                    continue;
                }
                Shape s = Shapes.of(f.getGenericType());
                if (s instanceof Shape.Invalid bad) {
                    violations.add(
                            where(c, f.getName())
                                    + " has type "
                                    + bad.typeName()
                                    + ", which "
                                    + bad.why()
                                    + ": "
                                    + bad.fix()
                                    + ".");
                }
            }
        }

        void follow(Type declared, Class<?> owner, String component) {
            Shape s = Shapes.of(declared);
            if (s instanceof Shape.Invalid bad) {
                violations.add(
                        where(owner, component)
                                + " has type "
                                + declared.getTypeName()
                                + ", which "
                                + (bad.typeName().equals(declared.getTypeName())
                                        ? ""
                                        : "contains " + bad.typeName() + ", which ")
                                + bad.why()
                                + ": "
                                + bad.fix()
                                + ".");
                return;
            }
            enqueue(s);
        }

        void enqueue(Shape s) {
            if (s instanceof Shape.RecordType r) {
                todo.add(r.type());
            } else if (s instanceof Shape.EnumType e) {
                todo.add(e.type());
            } else if (s instanceof Shape.SealedType st) {
                todo.add(st.type());
            } else if (s instanceof Shape.ActorRefType ref && ref.messageType() != null) {
                // Replies: followed when they are a protocol of their own; anything else is checked
                // when it is encoded (an unregistered type fails at the sender with the fix).
                Shape reply = Shapes.of(ref.messageType());
                if (reply instanceof Shape.RecordType
                        || reply instanceof Shape.EnumType
                        || reply instanceof Shape.SealedType) {
                    enqueue(reply);
                }
            } else if (s instanceof Shape.ListType l) {
                enqueue(l.element());
            } else if (s instanceof Shape.SetType st) {
                enqueue(st.element());
            } else if (s instanceof Shape.OptionalType o) {
                enqueue(o.element());
            } else if (s instanceof Shape.MapType m) {
                enqueue(m.key());
                enqueue(m.value());
            }
        }

        String where(Class<?> owner, String member) {
            return Shapes.readable(owner) + "." + member + " (in " + owner.getName() + ")";
        }
    }
}
