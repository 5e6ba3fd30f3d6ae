package io.troupe.remote;

/**
 * What {@link RemoteNode#subscribe} delivers: nodes joining and leaving the cluster, like Erlang's
 * {@code monitor_nodes}. A subscriber first gets a {@link NodeUp} for every node already up.
 *
 * <p>Thread safety: immutable records.
 */
public sealed interface MembershipEvent permits MembershipEvent.NodeUp, MembershipEvent.NodeDown {
    Member member();

    /** A node joined (its first heartbeat was seen). */
    record NodeUp(Member member) implements MembershipEvent {}

    /** A node is gone; {@code detail} says how it was noticed. */
    record NodeDown(Member member, Reason reason, String detail) implements MembershipEvent {}

    /** Why a node is down. */
    enum Reason {
        /** It shut down cleanly and said so. */
        LEFT,
        /** Its process is gone (noticed through its pid, within milliseconds of a kill). */
        EXITED,
        /** It is alive but sent no heartbeat for {@code troupe.remote.heartbeat-timeout}. */
        UNRESPONSIVE,
        /** A new process took its name: the old incarnation is gone. */
        RESTARTED,
        /** This node lost its media driver, so it can reach no node any more. */
        DRIVER_LOST
    }
}
