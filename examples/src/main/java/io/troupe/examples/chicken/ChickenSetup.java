package io.troupe.examples.chicken;

import io.troupe.remote.RemoteNode;
import io.troupe.remote.WorkerSetup;

/**
 * Run by the pool in the worker JVM of {@code chicken --processes 2}: lets the main process spawn a
 * {@link Listener} there.
 *
 * <p>Thread safety: as {@link WorkerSetup}.
 */
public final class ChickenSetup implements WorkerSetup {
    @Override
    public void setUp(RemoteNode node) {
        node.registerKind(Listener.KIND);
    }
}
