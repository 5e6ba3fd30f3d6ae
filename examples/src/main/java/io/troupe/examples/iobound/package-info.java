/**
 * {@code io-bound}: a {@link io.troupe.examples.iobound.Batch} of blocking {@link
 * io.troupe.examples.iobound.Fetcher} calls on the default dispatcher and on Troupe's {@code
 * BLOCKING_IO} and {@code VIRTUAL_THREADS} presets, while an {@link
 * io.troupe.examples.iobound.Echo} on the default dispatcher shows whether blocking has starved it.
 */
package io.troupe.examples.iobound;
