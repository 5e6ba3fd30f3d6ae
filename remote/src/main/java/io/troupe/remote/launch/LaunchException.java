package io.troupe.remote.launch;

import io.troupe.core.TroupeException;

/**
 * A child JVM could not be started, did not print what was awaited in time, or did not exit: the
 * message names the child, its pid, what was expected and ends with its last output lines.
 *
 * <p>Thread safety: immutable once thrown.
 */
public class LaunchException extends TroupeException {
    private static final long serialVersionUID = 1L;

    public LaunchException(String message) {
        super(message);
    }

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
