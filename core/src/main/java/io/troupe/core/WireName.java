package io.troupe.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a message type a wire name other than its binary class name. A type's wire id is derived
 * from its wire name alone, so it does not depend on registration order; annotate a type to keep
 * its id when the class is renamed or moved, or to settle a clash of ids between two types.
 *
 * <p>Thread safety: an annotation; immutable.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface WireName {
    /** The stable name, e.g. {@code "shop.Order.v1"}; never reuse one for a different type. */
    String value();
}
