package io.troupe.benchmarks.scenarios;

import akka.actor.typed.Behavior;
import io.troupe.benchmarks.jmh.Payload;

/**
 * The receiving actor of the {@code troupe-cluster} row: the {@link AckingSink} for {@link
 * Payload.Small} messages (the {@code troupe} row's record, in Troupe's codec) with {@link
 * ClusterFlow}'s start and ack messages. Published as {@value Sink#NAME} for {@code Object}.
 */
final class ClusterSink {
    static final AckingSink.Protocol<Payload.Small, ClusterFlow.Start, ClusterFlow.Ack> PROTOCOL =
            new AckingSink.Protocol<>(
                    Payload.Small.class,
                    Sequenced::sender,
                    Sequenced::seq,
                    ClusterFlow.Start.class,
                    ClusterFlow.Start::sender,
                    ClusterFlow.Start::ackTo,
                    ClusterFlow.Ack::new);

    private ClusterSink() {}

    static Behavior<Object> create() {
        return AckingSink.create(PROTOCOL);
    }
}
