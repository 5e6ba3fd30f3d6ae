package io.troupe.remote.testsupport;

import akka.actor.Dropped;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Adapter;

/**
 * A probe that receives every {@link Dropped} (Troupe's dead letters) of a test kit's actor system,
 * subscribed before this returns: the typed {@code EventStream.Subscribe} is asynchronous, and a
 * dead letter published right after it could be missed.
 *
 * <p>Thread safety: call from the test thread.
 */
public final class DeadLetterProbes {
    private DeadLetterProbes() {}

    public static TestProbe<Dropped> subscribe(ActorTestKit kit) {
        TestProbe<Dropped> probe = kit.createTestProbe(Dropped.class);
        Adapter.toClassic(kit.system())
                .eventStream()
                .subscribe(Adapter.toClassic(probe.ref()), Dropped.class);
        return probe;
    }
}
