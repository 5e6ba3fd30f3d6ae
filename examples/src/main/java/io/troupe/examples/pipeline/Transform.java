package io.troupe.examples.pipeline;

/**
 * What stage number {@code n} does to a value: a cheap, reversible scramble (Stafford's mix 13 of
 * the value and the stage number), so that the consumer can check every value it receives by
 * computing what it must be.
 *
 * <p>Thread safety: stateless.
 */
final class Transform {

    private Transform() {}

    /**
     * @return stage {@code stage}'s output for {@code value}
     */
    static long apply(int stage, long value) {
        long z = value ^ (stage * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * @return what element {@code seq} must carry after stages 1..{@code stages}
     */
    static long expected(int stages, long seq) {
        long value = seq;
        for (int s = 1; s <= stages; s++) {
            value = apply(s, value);
        }
        return value;
    }
}
