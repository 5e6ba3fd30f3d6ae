package io.troupe.remote.driver;

import io.troupe.core.TroupeException;

/**
 * The media driver could not be found, launched, attached to or closed as configured: no live
 * driver in {@code attach} mode, a live one in {@code embedded} mode, a directory owned by another
 * user, a lock not obtained in time, an incompatible Aeron version. The message names the Aeron
 * directory and says how to fix the problem.
 *
 * <p>Thread safety: immutable once thrown.
 */
public class DriverException extends TroupeException {
    private static final long serialVersionUID = 1L;

    public DriverException(String message) {
        super(message);
    }

    public DriverException(String message, Throwable cause) {
        super(message, cause);
    }
}
