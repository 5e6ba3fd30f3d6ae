package io.troupe.core.codec;

import io.troupe.core.TroupeException;

/**
 * Anything that went wrong while encoding or decoding a message: an unregistered class at encode, a
 * mutable collection found at run time, an unknown type id, truncated or corrupt bytes, a size over
 * a limit. The codec throws nothing else; in particular never a raw {@code
 * IndexOutOfBoundsException}, {@code NullPointerException} or {@code OutOfMemoryError} for bad
 * input.
 *
 * <p>Thread safety: instances are immutable once thrown.
 */
public class CodecException extends TroupeException {
    private static final long serialVersionUID = 1L;

    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
