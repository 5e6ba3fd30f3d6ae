package io.troupe.examples.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.troupe.testkit.ActorTestKitExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The flow-control protocol in one process: demand, not speed, decides what moves. */
class FlowTest {

    @RegisterExtension static final ActorTestKitExtension testKit = new ActorTestKitExtension();

    @Test
    void shouldSendOnlyWhatWasRequestedWhenTheStepBelowIsSlow() {
        ActorRef<Producer.Command> producer = testKit.spawn(Producer.create(100));
        TestProbe<Flow.Downstream> below = testKit.createTestProbe();
        producer.tell(new Producer.Connect(below.getRef()));

        producer.tell(new Flow.Request(3));

        assertEquals(
                List.of(new Flow.Element(0, 0), new Flow.Element(1, 1), new Flow.Element(2, 2)),
                below.receiveSeveralMessages(3));
        below.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void shouldNeverHoldMoreThanItsCapacityWhenNothingIsAskedBelow() {
        ActorRef<Stage.Command> stage = testKit.spawn(Stage.create());
        TestProbe<Flow.Upstream> above = testKit.createTestProbe();
        TestProbe<Flow.Downstream> below = testKit.createTestProbe();

        stage.tell(new Stage.Connect(1, 8, above.getRef(), below.getRef()));
        assertEquals(new Flow.Request(8), above.receiveMessage());
        for (int i = 0; i < 8; i++) {
            stage.tell(new Flow.Element(i, i));
        }
        above.expectNoMessage(Duration.ofMillis(100)); // full: it asks for nothing more
        below.expectNoMessage(Duration.ZERO);

        stage.tell(new Flow.Request(5));
        List<Flow.Downstream> passed = below.receiveSeveralMessages(5);
        assertEquals(new Flow.Element(4, Transform.apply(1, 4)), passed.get(4));
        assertEquals(new Flow.Request(5), above.receiveMessage()); // room for 5 again, >= half of 8
    }

    @Test
    void shouldDeliverEverythingInOrderThroughStagesWithBoundedBuffers() {
        ActorRef<Producer.Command> producer = testKit.spawn(Producer.create(500));
        ActorRef<Stage.Command> one = testKit.spawn(Stage.create());
        ActorRef<Stage.Command> two = testKit.spawn(Stage.create());
        ActorRef<Consumer.Command> consumer = testKit.spawn(Consumer.create());
        TestProbe<Consumer.Finished> done = testKit.createTestProbe();

        producer.tell(new Producer.Connect(one.narrow()));
        one.tell(new Stage.Connect(1, 4, producer.narrow(), two.narrow()));
        two.tell(new Stage.Connect(2, 4, one.narrow(), consumer.narrow()));
        consumer.tell(new Consumer.Connect(two.narrow(), 2, 4, 50, done.getRef()));

        Consumer.Finished finished = done.receiveMessage(Duration.ofSeconds(10));
        assertEquals(new Consumer.Finished(500, 500, 0, 0, finished.elapsedNanos()), finished);
        TestProbe<Producer.Stats> stats = testKit.createTestProbe();
        producer.tell(new Producer.GetStats(stats.getRef()));
        assertTrue(stats.receiveMessage().demandWaits() > 0, "the producer had to wait for demand");
    }
}
