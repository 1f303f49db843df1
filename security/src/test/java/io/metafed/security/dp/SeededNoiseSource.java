package io.metafed.security.dp;

import java.util.SplittableRandom;

/** Test-only reproducible N(0, 1) draws; production code has no seeded source on purpose. */
final class SeededNoiseSource implements NoiseSource {
    private final SplittableRandom random;

    SeededNoiseSource(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public double nextStandardGaussian() {
        return random.nextGaussian();
    }
}
