/**
 * {@code chicken}: racing threads say a sentence's words in any order; a {@link
 * io.troupe.examples.chicken.Speaker} actor's words reach a {@link
 * io.troupe.examples.chicken.Listener} in the order sent. The listener is only an {@code ActorRef}
 * to the speaker, so the same code runs with a listener in another process ({@code --processes 2},
 * where a {@code ProcessPool} worker hosts it).
 */
package io.troupe.examples.chicken;
