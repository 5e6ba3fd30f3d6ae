package io.troupe.remote;

import io.troupe.core.TroupeException;

/**
 * A remote operation failed: a node could not start (its name is taken, its directory is not
 * usable), a lookup timed out, a name could not be published. The message says what, the offending
 * value, and how to fix it.
 *
 * <p>Thread safety: immutable once thrown.
 */
public class RemoteException extends TroupeException {
    private static final long serialVersionUID = 1L;

    public RemoteException(String message) {
        super(message);
    }

    public RemoteException(String message, Throwable cause) {
        super(message, cause);
    }
}
