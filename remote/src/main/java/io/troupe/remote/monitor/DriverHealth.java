package io.troupe.remote.monitor;

/**
 * The media driver of a cluster at one moment, as its {@code cnc.dat} shows it.
 *
 * <p>Thread safety: immutable.
 *
 * @param pid the process that runs the driver (a node that hosts it, or a standalone driver)
 * @param heartbeatAgeMs how long ago the driver last heart-beat; a live driver heart-beats every
 *     few milliseconds, one silent for seconds is stopped or gone
 * @param livenessTimeoutMs after how long without a heartbeat clients give the driver up
 * @param distinctErrors how many distinct errors the driver logged since it started
 * @param errorObservations how many times those errors happened in all
 * @param lastError the first line of the most recently observed error, or null without errors
 */
public record DriverHealth(
        long pid,
        long heartbeatAgeMs,
        long livenessTimeoutMs,
        int distinctErrors,
        long errorObservations,
        String lastError) {

    /** Whether the driver heart-beat within its liveness timeout. */
    public boolean alive() {
        return heartbeatAgeMs <= livenessTimeoutMs;
    }
}
