/**
 * {@code pi}: CPU-bound Monte Carlo π over a {@code ProcessPool} of worker JVMs. An {@link
 * io.troupe.examples.pi.Estimator} in this process hands out chunks to {@link
 * io.troupe.examples.pi.PiWorker}s in the workers, on one worker and then on all, and the speed-up
 * is printed.
 */
package io.troupe.examples.pi;
