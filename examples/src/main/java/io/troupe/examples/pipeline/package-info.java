/**
 * {@code pipeline}: a {@link io.troupe.examples.pipeline.Producer} and a slow {@link
 * io.troupe.examples.pipeline.Consumer} in this process, transform {@link
 * io.troupe.examples.pipeline.Stage}s in worker processes between them, and demand-driven flow
 * control ({@link io.troupe.examples.pipeline.Flow}) that bounds what is in flight, so that a slow
 * consumer slows the producer and nothing is lost.
 */
package io.troupe.examples.pipeline;
