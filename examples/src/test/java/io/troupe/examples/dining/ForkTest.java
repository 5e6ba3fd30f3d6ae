package io.troupe.examples.dining;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.troupe.testkit.ActorTestKitExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ForkTest {

    @RegisterExtension static final ActorTestKitExtension testKit = new ActorTestKitExtension();

    @Test
    void shouldRefuseWhenAnotherPhilosopherHoldsIt() {
        ActorRef<Fork.Command> fork = testKit.spawn(Fork.create());
        TestProbe<Fork.Reply> first = testKit.createTestProbe();
        TestProbe<Fork.Reply> second = testKit.createTestProbe();

        fork.tell(new Fork.Take(first.getRef()));
        fork.tell(new Fork.Take(second.getRef()));

        assertEquals(new Fork.Taken(fork), first.receiveMessage());
        assertEquals(new Fork.Refused(fork), second.receiveMessage());
    }

    @Test
    void shouldStayTakenWhenSomeoneElsePutsItBack() {
        ActorRef<Fork.Command> fork = testKit.spawn(Fork.create());
        TestProbe<Fork.Reply> holder = testKit.createTestProbe();
        TestProbe<Fork.Reply> other = testKit.createTestProbe();
        fork.tell(new Fork.Take(holder.getRef()));
        holder.expectMessage(new Fork.Taken(fork));

        fork.tell(new Fork.Put(other.getRef()));
        fork.tell(new Fork.Take(other.getRef()));

        assertEquals(new Fork.Refused(fork), other.receiveMessage());
    }

    @Test
    void shouldBeTakenAgainWhenItsHolderPutsItBack() {
        ActorRef<Fork.Command> fork = testKit.spawn(Fork.create());
        TestProbe<Fork.Reply> holder = testKit.createTestProbe();
        TestProbe<Fork.Reply> next = testKit.createTestProbe();
        fork.tell(new Fork.Take(holder.getRef()));
        holder.expectMessage(new Fork.Taken(fork));

        fork.tell(new Fork.Put(holder.getRef()));
        fork.tell(new Fork.Take(next.getRef()));

        assertEquals(new Fork.Taken(fork), next.receiveMessage());
    }
}
