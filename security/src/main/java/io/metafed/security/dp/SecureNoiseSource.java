package io.metafed.security.dp;

import java.security.SecureRandom;

/**
 * N(0, 1) from a {@link SecureRandom}: an observer of earlier releases cannot predict, and so cannot subtract,
 * the noise of the next one, which a seeded {@link java.util.Random} would allow.
 *
 * <p>Known limitation: the draws are floating-point (Marsaglia polar method of {@link SecureRandom#nextGaussian}),
 * so the low-order bits of a noised value are not exactly Gaussian (Mironov 2012 for Laplace; Holohan and
 * Braghin 2021, "Secure Random Sampling in Differential Privacy", for Gaussian). The release here is a model
 * update rounded to float, which discards those bits in practice, but the guarantee is not formally bit-exact.
 *
 * <p>Thread-safe: {@link SecureRandom} is.
 */
public final class SecureNoiseSource implements NoiseSource {
    private final SecureRandom random;

    public SecureNoiseSource() {
        this(new SecureRandom());
    }

    public SecureNoiseSource(SecureRandom random) {
        this.random = DpPreconditions.notNull(random, "random");
    }

    @Override
    public double nextStandardGaussian() {
        return random.nextGaussian();
    }
}
