package io.troupe.benchmarks.scenarios;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;

/**
 * The actors of the {@code akka-artery} baseline's peers: the {@link AckingSink} for {@link
 * ArteryProtocol.Small} messages (Jackson CBOR), and the round-trip answerer.
 */
final class ArterySink {
    static final AckingSink.Protocol<ArteryProtocol.Small, ArteryProtocol.Start, ArteryProtocol.Ack>
            PROTOCOL =
                    new AckingSink.Protocol<>(
                            ArteryProtocol.Small.class,
                            ArteryProtocol.Small::sender,
                            ArteryProtocol.Small::seq,
                            ArteryProtocol.Start.class,
                            ArteryProtocol.Start::sender,
                            ArteryProtocol.Start::ackTo,
                            ArteryProtocol.Ack::new);

    private ArterySink() {}

    static Behavior<Object> create() {
        return AckingSink.create(PROTOCOL);
    }

    /**
     * The round-trip answerer over Artery: each {@link ArteryProtocol.Ping} is answered with its
     * body.
     */
    static Behavior<ArteryProtocol.Ping> echo() {
        return Behaviors.receive(ArteryProtocol.Ping.class)
                .onMessage(
                        ArteryProtocol.Ping.class,
                        p -> {
                            p.replyTo().tell(p.body());
                            return Behaviors.same();
                        })
                .build();
    }
}
