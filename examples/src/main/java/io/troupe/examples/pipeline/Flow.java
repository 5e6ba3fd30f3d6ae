package io.troupe.examples.pipeline;

/**
 * The flow-control protocol between neighbouring steps of the pipeline, demand-driven as in
 * Reactive Streams: elements flow down only as far as the step below asked for them with {@link
 * Request}, so every step holds at most what it asked for, and a slow consumer slows the producer
 * instead of filling mailboxes (Akka's are unbounded) or Aeron's buffers.
 *
 * <p>Thread safety: immutable records.
 */
public final class Flow {

    private Flow() {}

    /** What a step receives from the step below it: demand. */
    public sealed interface Upstream extends Producer.Command, Stage.Command permits Request {}

    /** What a step receives from the step above it: elements, then the end. */
    public sealed interface Downstream extends Stage.Command, Consumer.Command
            permits Element, Completed {}

    /** The step below can take {@code n} more elements. */
    public record Request(int n) implements Upstream {
        public Request {
            if (n < 1) {
                throw new IllegalArgumentException(
                        "a request must be for at least 1 element, was " + n);
            }
        }
    }

    /** Element number {@code seq} (from 0), carrying {@code value}. */
    public record Element(long seq, long value) implements Downstream {}

    /** No elements follow; {@code count} were sent in all. */
    public record Completed(long count) implements Downstream {}
}
