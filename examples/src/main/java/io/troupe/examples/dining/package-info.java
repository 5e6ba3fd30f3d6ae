/**
 * {@code dining-philosophers}: {@link io.troupe.examples.dining.Fork} and {@link
 * io.troupe.examples.dining.Philosopher} actors, laid out and counted by a {@link
 * io.troupe.examples.dining.Dinner}. Forks refuse at once instead of making anyone wait, and nobody
 * waits while holding a fork, so there is no deadlock.
 */
package io.troupe.examples.dining;
