package io.troupe.examples.iobound;

import akka.actor.typed.Props;
import io.troupe.core.dispatch.DispatcherPreset;

/**
 * Where the blocking calls of one run execute.
 *
 * <p>Thread safety: immutable.
 */
public enum Pool {
    /** Akka's default dispatcher: a fork-join pool sized for CPU work. */
    DEFAULT("default dispatcher"),
    /** Troupe's {@link DispatcherPreset#BLOCKING_IO} preset. */
    BLOCKING_IO("BLOCKING_IO preset"),
    /** Troupe's {@link DispatcherPreset#VIRTUAL_THREADS} preset. */
    VIRTUAL_THREADS("VIRTUAL_THREADS preset");

    private final String label;

    Pool(String label) {
        this.label = label;
    }

    /**
     * @return a name for output, e.g. {@code "BLOCKING_IO preset"}
     */
    public String label() {
        return label;
    }

    /**
     * @return the props that put an actor on this pool
     */
    public Props props() {
        switch (this) {
            case BLOCKING_IO:
                return DispatcherPreset.BLOCKING_IO.selector();
            case VIRTUAL_THREADS:
                return DispatcherPreset.VIRTUAL_THREADS.selector();
            default:
                return Props.empty();
        }
    }
}
