package io.troupe.core.internal;

import akka.actor.typed.ActorRef;
import io.troupe.core.Bytes;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Calendar;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Classifies declared types into {@link Shape}s. The one place that decides which types a message
 * may hold; the protocol check and the codec both ask it.
 *
 * <p>Thread safety: stateless.
 */
public final class Shapes {
    /**
     * Immutable value types a message may hold: JDK values and Troupe's {@link Bytes}. {@code
     * BigDecimal} and {@code BigInteger} are not final classes; the codec therefore rejects
     * subclasses of them at encode time.
     */
    public static final List<Class<?>> SCALARS =
            List.of(
                    Boolean.class,
                    Byte.class,
                    Short.class,
                    Character.class,
                    Integer.class,
                    Long.class,
                    Float.class,
                    Double.class,
                    String.class,
                    UUID.class,
                    BigInteger.class,
                    BigDecimal.class,
                    Instant.class,
                    Duration.class,
                    LocalDate.class,
                    LocalTime.class,
                    LocalDateTime.class,
                    OffsetDateTime.class,
                    OffsetTime.class,
                    ZonedDateTime.class,
                    ZoneOffset.class,
                    ZoneId.class,
                    Period.class,
                    Year.class,
                    YearMonth.class,
                    MonthDay.class,
                    Bytes.class);

    private static final String IMMUTABLE_TYPES =
            "a primitive, a boxed primitive, String, UUID, BigDecimal, a java.time value, Bytes, an enum, a record, "
                    + "a sealed interface of records, an ActorRef, or List/Set/Map/Optional of those";

    private Shapes() {}

    public static Shape of(Type type) {
        if (type instanceof Class<?> c) {
            return ofClass(c);
        }
        if (type instanceof ParameterizedType p) {
            return ofParameterized(p);
        }
        if (type instanceof TypeVariable<?> v) {
            return new Shape.Invalid(
                    v.getName(),
                    "is a type variable, which is Object at run time and can hold any mutable object",
                    "replace it with a concrete immutable type (" + IMMUTABLE_TYPES + ")");
        }
        if (type instanceof WildcardType w) {
            return new Shape.Invalid(
                    w.getTypeName(),
                    "is a wildcard, so the element type is not known",
                    "name the element type exactly, e.g. List<Item> instead of List<? extends Item>");
        }
        if (type instanceof GenericArrayType g) {
            return array(g.getTypeName(), g.getGenericComponentType().getTypeName());
        }
        return new Shape.Invalid(
                type.getTypeName(),
                "is a kind of type Troupe does not know",
                "use " + IMMUTABLE_TYPES);
    }

    private static Shape ofClass(Class<?> c) {
        if (c.isPrimitive()) {
            return c == void.class
                    ? new Shape.Invalid("void", "is not a value", "remove the component")
                    : new Shape.Primitive(c);
        }
        if (c.isArray()) {
            return array(c.getTypeName(), c.getComponentType().getTypeName());
        }
        if (SCALARS.contains(c)) {
            return new Shape.Scalar(c);
        }
        if (c.isEnum()) {
            return new Shape.EnumType(c);
        }
        if (c.isRecord()) {
            if (c.getTypeParameters().length > 0) {
                return new Shape.Invalid(
                        c.getName(),
                        "is a generic record; its type parameters are Object at run time",
                        "give each component a concrete type and drop the type parameters");
            }
            return new Shape.RecordType(c);
        }
        if (c == ActorRef.class) {
            return new Shape.ActorRefType(null);
        }
        if (c == List.class || c == Set.class || c == Map.class || c == Optional.class) {
            return new Shape.Invalid(
                    c.getName(),
                    "is a raw type, so its elements are Object-typed",
                    "give the element type, e.g. "
                            + c.getSimpleName()
                            + (c == Map.class ? "<String, Integer>" : "<String>"));
        }
        if (Collection.class.isAssignableFrom(c) || Map.class.isAssignableFrom(c)) {
            String iface =
                    Map.class.isAssignableFrom(c)
                            ? "Map"
                            : Set.class.isAssignableFrom(c) ? "Set" : "List";
            return new Shape.Invalid(
                    c.getName(),
                    "is a mutable collection type: its contents can change after the message is sent",
                    "declare it as "
                            + iface
                            + "<...> and copy it in the compact constructor with "
                            + iface
                            + ".copyOf(...)");
        }
        if (c == Object.class) {
            return new Shape.Invalid(
                    "java.lang.Object",
                    "is Object-typed, so it can hold anything, mutable objects included",
                    "give it a concrete immutable type (" + IMMUTABLE_TYPES + ")");
        }
        if (c == Date.class || c == Calendar.class || Date.class.isAssignableFrom(c)) {
            return new Shape.Invalid(
                    c.getName(),
                    "is mutable (it has setters)",
                    "use java.time.Instant or another java.time value");
        }
        if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
            if (c.isSealed() && c.isInterface()) {
                return new Shape.SealedType(c);
            }
            if (c.isSealed()) {
                return new Shape.Invalid(
                        c.getName(),
                        "is a sealed abstract class, whose fields may be mutable",
                        "make it a sealed interface that permits only records and enums");
            }
            return new Shape.Invalid(
                    c.getName(),
                    "is an open (non-sealed) type: any subclass, mutable ones included, could be sent",
                    "make it a sealed interface that permits only records and enums");
        }
        for (Field f : c.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && !Modifier.isFinal(f.getModifiers())) {
                return new Shape.Invalid(
                        c.getName(),
                        "is a class with the non-final field '" + f.getName() + "'",
                        "make it a record (records have only final fields)");
            }
        }
        return new Shape.Invalid(
                c.getName(),
                "is a class, not a record or enum, so Troupe cannot prove it immutable",
                "make it a record");
    }

    private static Shape ofParameterized(ParameterizedType p) {
        Class<?> raw = (Class<?>) p.getRawType();
        Type[] args = p.getActualTypeArguments();
        if (raw == ActorRef.class) {
            Type arg = args[0];
            return new Shape.ActorRefType(arg instanceof WildcardType ? null : arg);
        }
        if (raw == List.class || raw == Set.class || raw == Optional.class) {
            Shape element = of(args[0]);
            if (element instanceof Shape.Invalid bad) {
                return nested(p, bad);
            }
            return raw == List.class
                    ? new Shape.ListType(element)
                    : raw == Set.class
                            ? new Shape.SetType(element)
                            : new Shape.OptionalType(element);
        }
        if (raw == Map.class) {
            Shape key = of(args[0]);
            if (key instanceof Shape.Invalid bad) {
                return nested(p, bad);
            }
            Shape value = of(args[1]);
            if (value instanceof Shape.Invalid bad) {
                return nested(p, bad);
            }
            return new Shape.MapType(key, value);
        }
        Shape rawShape = ofClass(raw);
        if (rawShape instanceof Shape.Invalid bad) {
            return new Shape.Invalid(p.getTypeName(), bad.why(), bad.fix());
        }
        return rawShape;
    }

    private static Shape nested(ParameterizedType outer, Shape.Invalid inner) {
        return new Shape.Invalid(
                outer.getTypeName(),
                "contains " + inner.typeName() + ", which " + inner.why(),
                inner.fix());
    }

    private static Shape array(String typeName, String elementName) {
        if (elementName.equals("byte")) {
            return new Shape.Invalid(
                    typeName,
                    "is an array, which can be changed in place after the message is sent",
                    "declare it as io.troupe.core.Bytes, an immutable byte string sent without"
                            + " per-byte overhead, and make it with Bytes.copyOf(array)");
        }
        return new Shape.Invalid(
                typeName,
                "is an array, which can be changed in place after the message is sent",
                "declare it as List<"
                        + box(elementName)
                        + "> and copy it in the compact constructor with List.copyOf(...)");
    }

    private static String box(String name) {
        return switch (name) {
            case "int" -> "Integer";
            case "char" -> "Character";
            case "long", "short", "byte", "float", "double", "boolean" ->
                    Character.toUpperCase(name.charAt(0)) + name.substring(1);
            default -> name.substring(name.lastIndexOf('.') + 1);
        };
    }

    /**
     * A short, readable name: the simple name with its enclosing classes, e.g. {@code
     * Counter.Increment}.
     */
    public static String readable(Class<?> c) {
        String name = c.getName();
        String simple = name.substring(name.lastIndexOf('.') + 1);
        return simple.replace('$', '.');
    }
}
