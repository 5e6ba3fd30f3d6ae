package io.troupe.core.dispatch;

import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.dispatch.AbstractNodeQueue;
import akka.dispatch.Envelope;
import akka.dispatch.MailboxType;
import akka.dispatch.MessageQueue;
import akka.dispatch.ProducesMessageQueue;
import akka.dispatch.UnboundedMessageQueueSemantics;
import com.typesafe.config.Config;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import scala.Option;

/**
 * An unbounded mailbox whose size is known in O(1): Akka's multi-producer single-consumer node
 * queue (the one behind {@code akka.dispatch.SingleConsumerOnlyUnboundedMailbox}) plus two
 * counters. Akka's default mailbox can only be measured by walking its queue, which a transport
 * that must stop reading when a local actor falls behind cannot afford on every message.
 *
 * <p>{@link io.troupe.core.TroupeConfig#load()} makes it the default mailbox ({@code
 * akka.actor.typed.default-mailbox} and {@code akka.actor.default-mailbox}), as the remote module's
 * {@code reference.conf} does when the class path reads it first, so every actor that may receive
 * remote traffic has it without being told. To give it to one actor explicitly:
 *
 * <pre>{@code
 * context.spawn(behavior, "name", MailboxSelector.fromConfig("troupe.remote.counted-mailbox"));
 * }</pre>
 *
 * <p>Counting: producers add one to {@code enqueued} (an atomic add on the same object whose tail
 * they just swapped, so usually on a cache line they already own) before they link the message in;
 * the one consumer at a time publishes {@code dequeued} with a release store, no atomic. {@link
 * CountedQueue#size()} reads {@code dequeued} first, then {@code enqueued}, so it is never
 * negative; it may count a message that a producer is still linking in.
 *
 * <p>Like Akka's single-consumer mailbox it cannot serve several consumers at once, so it must not
 * be the mailbox of a balancing dispatcher (Akka picks a multi-consumer queue there by requirement,
 * not the default mailbox).
 *
 * <p>Thread safety: the mailbox type is immutable; its queues take any number of producers and one
 * consumer at a time (Akka's mailbox run guarantees the latter); {@link CountedQueue#size()} may be
 * called from any thread.
 */
public final class CountedMailbox
        implements MailboxType, ProducesMessageQueue<CountedMailbox.CountedQueue> {

    /** The constructor Akka calls when the type is named in configuration. */
    public CountedMailbox(ActorSystem.Settings settings, Config config) {
        this();
    }

    public CountedMailbox() {}

    @Override
    public MessageQueue create(Option<ActorRef> owner, Option<ActorSystem> system) {
        return new CountedQueue();
    }

    /**
     * The counted queue of one actor.
     *
     * <p>Thread safety: see {@link CountedMailbox}.
     */
    public static final class CountedQueue extends AbstractNodeQueue<Envelope>
            implements MessageQueue, UnboundedMessageQueueSemantics {
        private static final VarHandle ENQUEUED;
        private static final VarHandle DEQUEUED;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                ENQUEUED = lookup.findVarHandle(CountedQueue.class, "enqueued", long.class);
                DEQUEUED = lookup.findVarHandle(CountedQueue.class, "dequeued", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused") // through ENQUEUED
        private volatile long enqueued;

        @SuppressWarnings("unused") // through DEQUEUED; written by one consumer at a time
        private long dequeued;

        CountedQueue() {}

        @Override
        public void enqueue(ActorRef receiver, Envelope handle) {
            ENQUEUED.getAndAdd(
                    this, 1L); // before the add: a consumer never counts past the producers
            add(handle);
        }

        @Override
        public Envelope dequeue() {
            Envelope e = poll();
            if (e != null) {
                DEQUEUED.setRelease(this, (long) DEQUEUED.get(this) + 1L);
            }
            return e;
        }

        /** Messages waiting (O(1)); may include one a producer is still linking in. */
        public long size() {
            long out = (long) DEQUEUED.getAcquire(this);
            long in = (long) ENQUEUED.getVolatile(this);
            return in - out;
        }

        @Override
        public int numberOfMessages() {
            return (int) Math.min(Integer.MAX_VALUE, size());
        }

        @Override
        public boolean hasMessages() {
            return !isEmpty();
        }

        @Override
        public void cleanUp(ActorRef owner, MessageQueue deadLetters) {
            Envelope e;
            while ((e = dequeue()) != null) {
                deadLetters.enqueue(owner, e);
            }
        }
    }
}
