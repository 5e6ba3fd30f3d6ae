package io.troupe.core;

/**
 * The root of every exception Troupe throws. Its message says what failed, the offending value and
 * where it came from, what was expected, and how to fix it.
 *
 * <p>Subclasses name the failure's kind: {@link ProtocolViolationException} for a message type that
 * is not immutable, {@link io.troupe.core.codec.CodecException} for anything that goes wrong while
 * encoding or decoding bytes.
 *
 * <p>Thread safety: instances are immutable once thrown.
 */
public class TroupeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TroupeException(String message) {
        super(message);
    }

    public TroupeException(String message, Throwable cause) {
        super(message, cause);
    }
}
