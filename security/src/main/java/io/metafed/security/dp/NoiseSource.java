package io.metafed.security.dp;

/**
 * Standard normal draws for {@link GaussianNoise}. Production code uses {@link SecureNoiseSource}; the interface
 * exists so that tests can inject a seeded source and reproduce a draw, never to weaken the default.
 */
@FunctionalInterface
public interface NoiseSource {

    /** One draw from N(0, 1). */
    double nextStandardGaussian();
}
