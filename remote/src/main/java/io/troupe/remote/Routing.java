package io.troupe.remote;

/**
 * How a {@link ProcessPool#router} spreads messages over its workers.
 *
 * <p>Thread safety: an enum.
 */
public enum Routing {
    /** Each worker in turn. */
    ROUND_ROBIN,
    /**
     * The worker with the fewest messages sent by this router that it has not yet processed, as the
     * routees report every few milliseconds; ties go round robin.
     */
    LEAST_LOADED
}
