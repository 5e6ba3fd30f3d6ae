/**
 * {@code ping-pong}: two processes, one {@link io.troupe.examples.pingpong.Ponger} in a worker JVM
 * of a {@code ProcessPool}, asked from this process one round trip at a time (latency) and pinged
 * by a {@link io.troupe.examples.pingpong.Pinger} with a window of tells (throughput).
 */
package io.troupe.examples.pingpong;
