package io.troupe.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import akka.actor.ActorCell;
import akka.actor.ActorRefWithCell;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.dispatch.MessageQueue;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.core.dispatch.CountedMailbox;
import org.junit.jupiter.api.Test;

/**
 * Core's class path has Akka's reference.conf files and none that sets the default mailboxes to
 * Troupe's, which is the class-path trap of a consumer that lists Akka ahead of troupe-remote:
 * {@code ConfigFactory.load()} gives Akka's mailboxes here, {@link TroupeConfig#load()} must not.
 */
class TroupeConfigTest {

    private static final String TYPED = "akka.actor.typed.default-mailbox.mailbox-type";
    private static final String CLASSIC = "akka.actor.default-mailbox.mailbox-type";
    private static final String COUNTED = CountedMailbox.class.getName();

    @Test
    void shouldSetTheCountedMailboxWhenAkkasReferenceConfSaysOtherwise() {
        Config plain = ConfigFactory.load();
        assertEquals("akka.dispatch.SingleConsumerOnlyUnboundedMailbox", plain.getString(TYPED));
        assertEquals("akka.dispatch.UnboundedMailbox", plain.getString(CLASSIC));

        Config troupe = TroupeConfig.load();
        assertEquals(COUNTED, troupe.getString(TYPED));
        assertEquals(COUNTED, troupe.getString(CLASSIC));
        // Everything else is still there, resolved: Akka's and Troupe's reference.conf files.
        assertEquals(plain.getString("akka.version"), troupe.getString("akka.version"));
        assertEquals(64, troupe.getInt("troupe.core.codec.max-depth"));
    }

    @Test
    void shouldLetOverridesAndApplicationTestConfWinOverTroupesSettings() {
        Config overridden =
                TroupeConfig.load(
                        ConfigFactory.parseString(
                                TYPED + " = \"akka.dispatch.UnboundedMailbox\"\nmarker = 7"));
        assertEquals("akka.dispatch.UnboundedMailbox", overridden.getString(TYPED));
        assertEquals(COUNTED, overridden.getString(CLASSIC));
        assertEquals(7, overridden.getInt("marker"));

        // core's test resources hold no application-test.conf: the layering still applies.
        Config test = TroupeConfig.load("application-test");
        assertEquals(COUNTED, test.getString(TYPED));
    }

    @Test
    void shouldGiveEveryTypedActorTheCountedMailboxWhenTheSystemIsCreatedWithIt() {
        ActorTestKit kit = ActorTestKit.create("TroupeConfigTest", TroupeConfig.load());
        try {
            ActorRef<String> actor = kit.spawn(Behaviors.ignore(), "plain");
            assertSame(CountedMailbox.CountedQueue.class, queueOf(actor).getClass());
        } finally {
            kit.shutdownTestKit();
        }
    }

    private static MessageQueue queueOf(ActorRef<?> ref) {
        ActorRefWithCell withCell = (ActorRefWithCell) Adapter.toClassic(ref);
        return ((ActorCell) withCell.underlying()).mailbox().messageQueue();
    }
}
