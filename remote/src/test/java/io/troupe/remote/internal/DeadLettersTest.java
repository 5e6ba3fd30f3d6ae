package io.troupe.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The per-reason dead-letter counters: each reason text the transport writes has its own. */
class DeadLettersTest {

    @Test
    void shouldCountEachReasonTheTransportWritesUnderItsOwnCounterWhenDropping() {
        assertEquals(
                NodeCounters.Kind.DEAD_LETTERS_UNKNOWN_NODE,
                DeadLetters.kindOf(
                        "node incarnation 1f is not known here (it is gone, or has not joined"
                                + " yet)"));
        assertEquals(
                NodeCounters.Kind.DEAD_LETTERS_NODE_DOWN,
                DeadLetters.kindOf("node worker-1 is down (heartbeat lost)"));
        assertEquals(
                NodeCounters.Kind.DEAD_LETTERS_BACK_PRESSURE_TIMEOUT,
                DeadLetters.kindOf(
                        "node worker-1 did not accept it for 5000 ms (back-pressure: the receiver"
                                + " is slow or stopped)"));
        assertEquals(
                NodeCounters.Kind.DEAD_LETTERS_QUEUE_FULL,
                DeadLetters.kindOf("the outbound queue to node b is full (123 bytes ...)"));
        assertEquals(
                NodeCounters.Kind.DEAD_LETTERS_STREAM_CLOSED,
                DeadLetters.kindOf("the stream to node b is closed (CLOSED)"));
        assertEquals(
                NodeCounters.Kind.DEAD_LETTERS_NO_SUCH_ACTOR,
                DeadLetters.kindOf("no actor #7 on node a (it stopped, or was never exported)"));
        assertEquals(NodeCounters.Kind.DEAD_LETTERS_OTHER, DeadLetters.kindOf("something new"));
    }

    @Test
    void shouldLabelEveryReasonCounterUnderTheDeadLettersPrefixWhenPublishing() {
        for (NodeCounters.Kind k : NodeCounters.Kind.values()) {
            if (k.name().startsWith("DEAD_LETTERS_")) {
                assertEquals(
                        "dead-letters.",
                        k.label().substring(0, "dead-letters.".length()),
                        k.name());
            }
        }
    }
}
