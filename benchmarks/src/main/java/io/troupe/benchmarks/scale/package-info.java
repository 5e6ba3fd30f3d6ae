/**
 * What Troupe costs and gains as it scales out on one machine, measured with real child JVMs:
 *
 * <ul>
 *   <li>{@link io.troupe.benchmarks.scale.MemoryFootprint} ({@code memory}): the resident set of an
 *       idle node ({@code VmRSS}, split into anonymous, file and shared pages) against a bare Akka
 *       actor system, and the {@code /dev/shm} the nodes' shared Aeron directory holds with 1, 4
 *       and 8 nodes, allocated (memory really taken) and apparent (file lengths; Aeron's idle log
 *       buffers are sparse).
 *   <li>{@link io.troupe.benchmarks.scale.PiScaling} ({@code scaling}): the {@code pi} example's
 *       CPU-bound work on 1 and 2 worker processes, the speed-up with the pool's start-up excluded
 *       and included, and the cores the workers really got.
 * </ul>
 *
 * <p>Design: each measure is a {@code run(Sizes, ...)} returning an immutable result with {@code
 * render()} (a small text table) and {@code addTo(JsonReport)}; {@code Sizes} has {@code DEFAULT},
 * {@code QUICK} and {@code SMOKE} presets. Every child JVM (an {@link
 * io.troupe.benchmarks.scale.IdleNodeMain} or a pool worker) runs on this JVM's {@code java} and
 * class path, leaves when its stdin closes and is killed by its pid if it does not; every run uses
 * a fresh Aeron directory under {@code /dev/shm}, removed at the end. Figures are Linux-only
 * ({@code /proc}, {@code du}).
 */
package io.troupe.benchmarks.scale;
