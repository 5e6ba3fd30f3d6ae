/**
 * Dispatcher presets: where an actor's messages run.
 *
 * <p>Design note. Akka runs every actor on a dispatcher, and the default dispatcher is a fork-join
 * pool sized for actors that never block. One blocking call there takes a thread from every other
 * actor, so Troupe ships three presets under {@code troupe.dispatchers} in {@code reference.conf}
 * and names them in {@link io.troupe.core.dispatch.DispatcherPreset}:
 *
 * <ul>
 *   <li>{@code cpu-bound}: a fork-join pool of one thread per core, high throughput per mailbox
 *       run, for pure computation;
 *   <li>{@code blocking-io}: a fixed pool of platform threads (32 by default), one message per run,
 *       so at most that many blocking calls are in flight;
 *   <li>{@code virtual-threads}: a thread-per-task executor of virtual threads on Java 21+, built
 *       by {@link io.troupe.core.dispatch.VirtualThreadExecutorConfigurator}. Troupe compiles for
 *       Java 17, so the Java 21 API is reached through method handles, and on Java 17-20 the preset
 *       falls back to a fixed platform pool with one log line saying so.
 * </ul>
 *
 * The choice is made where the actor is spawned, never inside the actor:
 *
 * <pre>{@code
 * context.spawn(Repository.create(dataSource), "repository", DispatcherPreset.BLOCKING_IO.selector());
 * }</pre>
 *
 * Every preset is ordinary Akka configuration, so any key can be tuned in {@code application.conf}
 * or with {@code -Dtroupe.dispatchers.blocking-io...}.
 */
package io.troupe.core.dispatch;
