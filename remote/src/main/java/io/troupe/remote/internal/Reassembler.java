package io.troupe.remote.internal;

import io.aeron.ControlledFragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntHashSet;

/**
 * A {@link ControlledFragmentAssembler} that frees a publisher session's reassembly buffer once the
 * session's image is gone. The assembler keeps one buffer per session that ever sent a fragmented
 * message (at least as large as its largest message) until told to free it; every peer restart, and
 * every publication another process opens, is a new session, so without this the heap grows with
 * each (measured: 24 gone sessions of one 2 MiB frame each held 100 MB). Only fragmented messages
 * are tracked: the small-message path costs one flag test.
 *
 * <p>Thread safety: the polling thread only.
 */
final class Reassembler implements ControlledFragmentHandler {
    private final ControlledFragmentAssembler assembler;
    private final IntHashSet sessions = new IntHashSet(); // may hold a buffer

    Reassembler(ControlledFragmentHandler delegate) {
        this.assembler = new ControlledFragmentAssembler(delegate);
    }

    @Override
    public Action onFragment(DirectBuffer buffer, int offset, int length, Header header) {
        if ((header.flags() & FrameDescriptor.UNFRAGMENTED) != FrameDescriptor.UNFRAGMENTED) {
            sessions.add(header.sessionId());
        }
        return assembler.onFragment(buffer, offset, length, header);
    }

    /** Frees the buffers of sessions whose image left {@code subscription}. */
    void freeGoneSessions(Subscription subscription) {
        if (sessions.isEmpty()) {
            return;
        }
        for (IntHashSet.IntIterator it = sessions.iterator(); it.hasNext(); ) {
            int session = it.nextValue();
            if (subscription.imageBySessionId(session) == null) {
                assembler.freeSessionBuffer(session);
                it.remove();
            }
        }
    }
}
