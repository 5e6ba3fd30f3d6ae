package io.troupe.examples.wordcount;

import io.troupe.remote.RemoteNode;
import io.troupe.remote.WorkerSetup;

/**
 * Run by the pool in each worker JVM of {@code word-count}: lets the main process spawn {@link
 * Mapper}s and {@link Reducer}s there.
 *
 * <p>Thread safety: as {@link WorkerSetup}.
 */
public final class WordCountSetup implements WorkerSetup {
    @Override
    public void setUp(RemoteNode node) {
        node.registerKind(Mapper.KIND);
        node.registerKind(Reducer.KIND);
    }
}
