package io.troupe.examples.chatroom;

import io.troupe.remote.RemoteNode;
import io.troupe.remote.WorkerSetup;

/**
 * Run by the pool in each worker JVM of {@code chat-room}: lets the main process spawn {@link
 * Gabbler}s there.
 *
 * <p>Thread safety: as {@link WorkerSetup}.
 */
public final class ChatRoomSetup implements WorkerSetup {
    @Override
    public void setUp(RemoteNode node) {
        node.register(ChatRoom.Command.class);
        node.registerKind(Gabbler.KIND);
    }
}
