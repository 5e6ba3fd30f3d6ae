/**
 * {@code bank}: lost updates. Threads sharing an unsynchronized balance lose money; the same
 * threads asking an {@link io.troupe.examples.bank.Account} actor never do, because only the actor
 * touches its balance, one message at a time.
 */
package io.troupe.examples.bank;
