package io.troupe.remote;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;

/** The protocol and actors the multi-process tests run in their child JVMs and in the test JVM. */
public final class TestProtocol {
    private TestProtocol() {}

    public sealed interface Command permits Ping, Forward, Seq, GetReport, Blob, EchoRef, Stop {}

    /** Answered by {@link #echo} with a {@link Pong} naming the node that answered. */
    public record Ping(int seq, ActorRef<Pong> replyTo) implements Command {}

    public record Pong(int seq, String node) {}

    /** Sent by {@link #forwarder} on to the actor it holds, with the same replyTo. */
    public record Forward(Ping ping) implements Command {}

    public record Seq(long n) implements Command {}

    public record GetReport(ActorRef<Report> replyTo) implements Command {}

    public record Report(long received, long outOfOrder, long last, long blobBytes, int blobHash) {}

    public record Blob(String data) implements Command {}

    /** Answered with the ref it carries, so a test sees what a ref becomes after a round trip. */
    public record EchoRef(ActorRef<Pong> ref, ActorRef<EchoedRef> replyTo) implements Command {}

    public record EchoedRef(ActorRef<Pong> ref) {}

    public enum Stop implements Command {
        INSTANCE
    }

    /**
     * Replies to pings, counts sequences, measures blobs; {@code slowNanosPerSeq} slows it down on
     * purpose.
     */
    public static Behavior<Command> echo(String node, long slowNanosPerSeq) {
        return Behaviors.setup(ctx -> new Echo(ctx, node, slowNanosPerSeq));
    }

    /** Forwards pings to {@code next}, keeping their replyTo. */
    public static Behavior<Command> forwarder(ActorRef<Command> next) {
        return Behaviors.receive(Command.class)
                .onMessage(
                        Forward.class,
                        f -> {
                            next.tell(f.ping());
                            return Behaviors.same();
                        })
                .onMessage(
                        Ping.class,
                        p -> {
                            next.tell(p);
                            return Behaviors.same();
                        })
                .build();
    }

    private static final class Echo extends AbstractBehavior<Command> {
        private final String node;
        private final long slowNanos;
        private long received;
        private long outOfOrder;
        private long last = -1;
        private long blobBytes;
        private int blobHash;

        Echo(ActorContext<Command> ctx, String node, long slowNanos) {
            super(ctx);
            this.node = node;
            this.slowNanos = slowNanos;
        }

        @Override
        public Receive<Command> createReceive() {
            return newReceiveBuilder()
                    .onMessage(Ping.class, this::onPing)
                    .onMessage(Seq.class, this::onSeq)
                    .onMessage(GetReport.class, this::onGetReport)
                    .onMessage(Blob.class, this::onBlob)
                    .onMessage(EchoRef.class, this::onEchoRef)
                    .onMessage(Stop.class, s -> Behaviors.stopped())
                    .build();
        }

        private Behavior<Command> onPing(Ping p) {
            p.replyTo().tell(new Pong(p.seq(), node));
            return this;
        }

        private Behavior<Command> onSeq(Seq s) {
            if (s.n() != last + 1) {
                outOfOrder++;
            }
            last = s.n();
            received++;
            if (slowNanos > 0) {
                long until =
                        System.nanoTime()
                                + slowNanos; // a slow consumer on purpose (parkNanos cannot wait
                // this briefly)
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
            return this;
        }

        private Behavior<Command> onGetReport(GetReport g) {
            g.replyTo().tell(new Report(received, outOfOrder, last, blobBytes, blobHash));
            return this;
        }

        private Behavior<Command> onBlob(Blob b) {
            blobBytes = b.data().length();
            blobHash = b.data().hashCode();
            return this;
        }

        private Behavior<Command> onEchoRef(EchoRef e) {
            e.replyTo().tell(new EchoedRef(e.ref()));
            return this;
        }
    }
}
