package io.troupe.remote.internal;

import akka.actor.AbstractActor;
import akka.actor.Props;
import java.util.function.Supplier;

/**
 * Where messages from other machines arrive (cluster mode): every node runs it at {@code
 * /system/troupe-gateway}, and a {@link ClusterRef} sends its messages here rather than to the
 * actor itself, so that what comes over Artery passes the same checks as what comes over IPC: the
 * node incarnation the sender addressed must be the current one, the payload must decode under the
 * codec's limits, the export must exist, and the message must be of a protocol the actor was handed
 * out for. One actor per node; Artery keeps the order of one sender's messages and so does this
 * actor, so order per pair of actors holds across machines.
 *
 * <p>Thread safety: an actor; it delivers through whichever transport is current (it outlives a
 * rejoin).
 */
public final class ClusterGateway extends AbstractActor {
    /** The actor's name under {@code /system}. */
    public static final String NAME = "troupe-gateway";

    private final Supplier<Transport> transport;

    private ClusterGateway(Supplier<Transport> transport) {
        this.transport = transport;
    }

    /** Props of the gateway of a node whose current transport {@code transport} gives. */
    public static Props props(Supplier<Transport> transport) {
        return Props.create(ClusterGateway.class, () -> new ClusterGateway(transport));
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder()
                .match(ClusterDelivery.class, d -> transport.get().deliverAcross(d, getSender()))
                .build();
    }
}
