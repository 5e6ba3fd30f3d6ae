/**
 * The transport of one node: how messages, membership and death watch cross processes over Aeron
 * IPC. Nothing here is API; {@link io.troupe.remote.RemoteNode} is its face.
 *
 * <h2>One owner per piece of state</h2>
 *
 * As Aeron's driver splits conductor, sender and receiver, the transport is split along its seams,
 * and each part is the only writer of its state; the others ask it.
 *
 * <ul>
 *   <li>{@link io.troupe.remote.internal.Links}: which links to other nodes exist and which are up.
 *       The only place a link changes state: {@code Links.down} marks it down and closes its
 *       outbound queue in one step, then the parts that depended on it react.
 *   <li>{@link io.troupe.remote.internal.Membership}: heartbeats, joins, leaves, failure detection
 *       (a peer's pid gone, or no heartbeat for {@code heartbeat-timeout}), eviction, and the
 *       subscribers told of every change.
 *   <li>{@link io.troupe.remote.internal.Outbound} and {@link io.troupe.remote.internal.Inbound}:
 *       the send and receive paths; {@link io.troupe.remote.internal.InboundGate} pauses reading
 *       when a receiving actor's mailbox is over its limit.
 *   <li>{@link io.troupe.remote.internal.Names}, {@link io.troupe.remote.internal.Lookups}, {@link
 *       io.troupe.remote.internal.Spawns}, {@link io.troupe.remote.internal.DeathWatch} and {@link
 *       io.troupe.remote.internal.Exports}: naming, remote spawn, death watch, and the local actors
 *       other nodes may address (with the protocol each was handed out for).
 *   <li>{@link io.troupe.remote.internal.TransportAgent}: the duty cycle of the node's one
 *       transport thread; {@link io.troupe.remote.internal.Transport} wires the parts and owns
 *       their lifecycle.
 * </ul>
 *
 * <h2>Threads</h2>
 *
 * <pre>
 *  actor (dispatcher thread) --tell--&gt; RemoteActorRef --encode (Kryo)--&gt; Aeron log of the peer
 *                                           \-- back-pressured: OutboundQueue --&gt; transport thread
 *  Aeron log --poll--&gt; transport thread --decode--&gt; protocol check --&gt; tell --&gt; local actor
 * </pre>
 *
 * A sender encodes on its own thread and offers straight to the peer's stream; only what the stream
 * does not take at once waits, as bytes, for the transport thread. Other threads hand work to the
 * transport thread through {@link io.troupe.remote.internal.Commands}, in order, so that for
 * example an unsubscribe never overtakes its subscribe.
 *
 * <h2>What happens to a message</h2>
 *
 * Every message handed to a remote ref ends in exactly one of: offered to the peer's stream (and
 * then delivered while both processes live), dead-lettered with a reason and counted, or refused at
 * the sender (dead-lettered too, counted as {@code refused-at-sender}, and thrown to the caller
 * only with {@code troupe.remote.unsendable = "throw"}). The receiving node checks every frame
 * before decoding it and every message against the protocol its actor was handed out for.
 *
 * <h2>States</h2>
 *
 * Running, driver lost, closed. Every public operation completes or fails promptly in each: after a
 * close or a driver loss lookups and spawns fail at once with the reason, watches yield {@code
 * Terminated}, sends are dead-lettered, and work handed over as commands is refused rather than
 * left waiting.
 *
 * <h2>Trust</h2>
 *
 * Inbound bytes are untrusted: every frame is checked (length, version, cluster tag, target
 * incarnation, a known and live sender) before its payload is decoded, and the codec instantiates
 * only registered classes. Processes of the same user are trusted as far as shared memory allows:
 * they can write into the media driver's files, and nothing in shared memory can stop them. Other
 * users are kept out by the Aeron directory's 0700 mode (see {@link io.troupe.remote.driver}).
 */
package io.troupe.remote.internal;
