package io.troupe.benchmarks.scenarios;

import io.troupe.benchmarks.jmh.Payload;

/**
 * The one-way scenarios' messages: {@link Payload#SMALL} with its timestamp advanced by a
 * sequence number, so that the receiver can check order while every message keeps the size of
 * the codec benchmark's small payload (the timestamp is a large varint; adding up to a few
 * million does not change its length).
 *
 * <p>Thread safety: stateless.
 */
final class Sequenced {
    static final Payload.Small TEMPLATE = (Payload.Small) Payload.SMALL.message();

    private Sequenced() {}

    static Payload.Small small(long seq) {
        return new Payload.Small(TEMPLATE.id(), TEMPLATE.timestamp() + seq, TEMPLATE.name(), TEMPLATE.flag());
    }

    static long seq(Payload.Small s) {
        return s.timestamp() - TEMPLATE.timestamp();
    }
}
