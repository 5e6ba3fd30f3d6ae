package io.troupe.remote.soak;

import akka.actor.typed.ActorRef;

/**
 * What the soak's traffic actors send each other across processes. Registered on every node of the
 * soak ({@code node.register(SoakProtocol.Message.class)}); the actors' local messages (ticks,
 * dead-letter events, ask outcomes) are not part of it and never cross a process.
 *
 * <p>Thread safety: immutable records.
 */
public final class SoakProtocol {
    private SoakProtocol() {}

    public sealed interface Message
            permits Traffic, Question, Answer, Sample, Sampled, Load, Stray {}

    /**
     * A tell: the {@code seq}-th message from incarnation {@code from} to incarnation {@code to};
     * {@code hash} is {@code payload.hashCode()}, checked on arrival.
     */
    public record Traffic(long from, long to, long seq, int hash, String payload)
            implements Message {}

    /**
     * Load mode ({@link LoadSoakTest}): the {@code seq}-th one-way message from incarnation {@code
     * from} to incarnation {@code to}; sequence numbers of one pair start at 1 and have no gaps at
     * the sender.
     */
    public record Load(long from, long to, long seq) implements Message {}

    /**
     * Load mode: takes the place of a {@link Load} now and then, sent through a ref obtained for
     * {@code Load} (as a stale ref after a protocol change would), so that the sender refuses it.
     * It uses up its {@code seq} like a {@link Load}.
     */
    public record Stray(long from, long to, long seq) implements Message {}

    /** An ask; answered with an {@link Answer} carrying the same {@code seq}. */
    public record Question(long from, long seq, ActorRef<Answer> replyTo) implements Message {}

    public record Answer(long seq, long answeredBy) implements Message {}

    /** Asks a traffic actor to collect garbage and measure its process. */
    public record Sample(ActorRef<Sampled> replyTo) implements Message {}

    /**
     * A process's resources: heap used after a GC (bytes); live threads (one snapshot), of which
     * Akka's dispatcher pools run {@code dispatcherThreads} (fork-join pools that grow on demand up
     * to {@code dispatcherParallelism} together) and their names (sorted, joined by newlines, to
     * tell which ones came or went); open file descriptors.
     */
    public record Sampled(
            String node,
            long pid,
            long incarnation,
            long heapUsedAfterGc,
            int threads,
            int dispatcherThreads,
            int dispatcherParallelism,
            String threadNames,
            long fds)
            implements Message {

        /**
         * The JDK's "process reaper" threads: one waits for each live child process (named after
         * its pid), and one that is done stays idle for 60 s before it ends, so their number
         * follows the children started and killed, not this process's code.
         */
        public int processReapers() {
            return (int) threadNames.lines().filter(n -> n.startsWith("process reaper")).count();
        }

        /** The threads that neither Akka's dispatcher pools nor the JDK's process reapers run. */
        public int otherThreads() {
            return threads - dispatcherThreads - processReapers();
        }
    }
}
