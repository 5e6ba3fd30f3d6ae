package io.troupe.remote.internal;

/**
 * A message for an actor on another machine, on its way over Artery to that node's gateway ({@code
 * /system/troupe-gateway}): the actor's Troupe identity (its node's incarnation and its export id)
 * and the message as Troupe's codec encoded it at the sender. The gateway decodes it, and checks it
 * against the protocol the actor was handed out for, before the actor sees it, as the IPC inbound
 * path does (see {@link ClusterGateway}).
 *
 * <p>Thread safety: immutable once sent; the payload array is not copied and must not be changed.
 */
final class ClusterDelivery {
    final long incarnation;
    final int exportId;
    final byte[] payload;

    ClusterDelivery(long incarnation, int exportId, byte[] payload) {
        this.incarnation = incarnation;
        this.exportId = exportId;
        this.payload = payload;
    }
}
