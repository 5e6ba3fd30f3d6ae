package io.troupe.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.ActorCell;
import akka.actor.ActorRefWithCell;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.MailboxSelector;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.dispatch.Envelope;
import akka.dispatch.MessageQueue;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import scala.Option;

/**
 * The counted queue keeps FIFO order per producer, never loses or invents a message, and knows its
 * size.
 */
class CountedMailboxTest {
    private static CountedMailbox.CountedQueue newQueue() {
        return (CountedMailbox.CountedQueue)
                new CountedMailbox().create(Option.empty(), Option.empty());
    }

    private static Envelope envelope(Object message) {
        return Envelope.apply(message, akka.actor.ActorRef.noSender());
    }

    @Test
    void shouldCountWhatIsEnqueuedAndNotYetDequeued() {
        CountedMailbox.CountedQueue q = newQueue();
        assertEquals(0, q.size());
        assertFalse(q.hasMessages());
        for (int i = 0; i < 10; i++) {
            q.enqueue(null, envelope(i));
        }
        assertEquals(10, q.size());
        assertEquals(10, q.numberOfMessages());
        assertEquals(0, q.dequeue().message());
        assertEquals(1, q.dequeue().message());
        assertEquals(8, q.size());
        assertTrue(q.hasMessages());
        for (int i = 2; i < 10; i++) {
            assertEquals(i, q.dequeue().message());
        }
        assertNull(q.dequeue());
        assertEquals(0, q.size());
    }

    @Test
    void shouldHandEveryMessageOfManyProducersToOneConsumerInEachProducersOrder() throws Exception {
        CountedMailbox.CountedQueue q = newQueue();
        int producers = 3;
        int perProducer = 200_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            Thread t =
                    new Thread(
                            () -> {
                                try {
                                    go.await();
                                } catch (InterruptedException e) {
                                    return;
                                }
                                for (int i = 0; i < perProducer; i++) {
                                    q.enqueue(null, envelope(new long[] {id, i}));
                                }
                            });
            t.start();
            threads.add(t);
        }
        long[] next = new long[producers];
        long taken = 0;
        long negative = 0;
        go.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (taken < (long) producers * perProducer && System.nanoTime() < deadline) {
            if (q.size() < 0) {
                negative++;
            }
            Envelope e = q.dequeue();
            if (e != null) {
                long[] m = (long[]) e.message();
                assertEquals(
                        next[(int) m[0]],
                        m[1],
                        "producer " + m[0] + "'s messages arrive in its order");
                next[(int) m[0]]++;
                taken++;
            }
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertEquals((long) producers * perProducer, taken);
        assertEquals(0, negative, "the size is never negative");
        assertEquals(0, q.size());
        assertNull(q.dequeue());
    }

    @Test
    void shouldHandWhatIsLeftToDeadLettersOnCleanUp() {
        CountedMailbox.CountedQueue q = newQueue();
        CountedMailbox.CountedQueue deadLetters = newQueue();
        q.enqueue(null, envelope("a"));
        q.enqueue(null, envelope("b"));
        q.cleanUp(null, deadLetters);
        assertEquals(0, q.size());
        assertEquals(2, deadLetters.size());
        assertEquals("a", deadLetters.dequeue().message());
    }

    @Test
    void shouldServeAsTheDefaultMailboxOfTypedActors() {
        ActorTestKit kit =
                ActorTestKit.create(
                        "counted",
                        ConfigFactory.parseString(
                                        "akka.actor.typed.default-mailbox.mailbox-type = \""
                                                + CountedMailbox.class.getName()
                                                + "\"\n"
                                                + "counted-by-selector.mailbox-type = \""
                                                + CountedMailbox.class.getName()
                                                + "\"")
                                .withFallback(ConfigFactory.load()));
        try {
            TestProbe<Long> probe = kit.createTestProbe();
            AtomicLong sum = new AtomicLong();
            ActorRef<Long> adder =
                    kit.spawn(
                            Behaviors.receiveMessage(
                                    n -> {
                                        if (n < 0) {
                                            probe.ref().tell(sum.get());
                                        } else {
                                            sum.addAndGet(n);
                                        }
                                        return Behaviors.same();
                                    }),
                            "adder");
            ActorRef<Long> selected =
                    kit.spawn(
                            Behaviors.ignore(),
                            "selected",
                            MailboxSelector.fromConfig("counted-by-selector"));
            for (long i = 1; i <= 1000; i++) {
                adder.tell(i);
            }
            adder.tell(-1L);
            assertEquals(500_500L, probe.receiveMessage());
            assertSame(CountedMailbox.CountedQueue.class, queueOf(adder).getClass());
            assertSame(CountedMailbox.CountedQueue.class, queueOf(selected).getClass());
        } finally {
            kit.shutdownTestKit();
        }
    }

    private static MessageQueue queueOf(ActorRef<?> ref) {
        ActorRefWithCell withCell = (ActorRefWithCell) Adapter.toClassic(ref);
        return ((ActorCell) withCell.underlying()).mailbox().messageQueue();
    }
}
