/**
 * Actors across processes on one machine: {@link io.troupe.remote.RemoteNode} joins a process's
 * actor system to its cluster, and {@link io.troupe.remote.ProcessPool} starts worker JVMs whose
 * actors are spawned by registered {@link io.troupe.remote.ActorKind}.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>Delivery is at most once, in order per sender and receiver, as in Akka. While both
 *       processes live nothing is dropped silently: what cannot be delivered goes to dead letters
 *       ({@code akka.actor.Dropped}) with the reason, and is counted.
 *   <li>A message whose type is not in the protocol of the target actor never reaches it: it is
 *       refused at the sender when the ref knows the protocol, and dead-lettered at the receiver
 *       otherwise.
 *   <li>{@code tell} never throws by default: a message that cannot be sent (not registered, not
 *       immutable, over a limit, of the wrong type) goes to dead letters with the reason and is
 *       logged once per kind; {@code troupe.remote.unsendable = "throw"} makes {@code tell} throw
 *       it as well.
 *   <li>Watching a remote actor yields {@code Terminated} when it stops or its process dies (seen
 *       through its pid within milliseconds of a kill, or after {@code heartbeat-timeout} for a
 *       stalled one).
 *   <li>Every operation finishes: lookups and spawns complete or fail within their timeout, and at
 *       once when the answer is already known (the node is down, this node is closed or lost its
 *       media driver).
 * </ul>
 *
 * <h2>Threat model</h2>
 *
 * Processes of the same user are trusted: they share memory with the media driver, and nothing in
 * shared memory can stop them. Other users are kept out by the private (0700) Aeron directory.
 * Inbound bytes are still checked as untrusted, so a buggy or stale peer cannot crash a node or
 * reach an actor with a message outside its protocol.
 */
package io.troupe.remote;
