package io.troupe.examples.pingpong;

import io.troupe.remote.RemoteNode;
import io.troupe.remote.WorkerSetup;

/**
 * Run by the pool in each worker JVM of {@code ping-pong}: lets the main process spawn {@link
 * Ponger}s there.
 *
 * <p>Thread safety: as {@link WorkerSetup}.
 */
public final class PingPongSetup implements WorkerSetup {
    @Override
    public void setUp(RemoteNode node) {
        node.registerKind(Ponger.KIND);
    }
}
