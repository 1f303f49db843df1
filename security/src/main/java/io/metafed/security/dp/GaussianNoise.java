package io.metafed.security.dp;

/**
 * The Gaussian mechanism's noise: adds an independent N(0, σ²) draw to every coordinate. With an L2 sensitivity
 * Δ₂ and σ = z·Δ₂ the release satisfies (α, α/(2z²))-RDP for every order α (Mironov 2017, Proposition 7).
 *
 * <p>σ = 0 is allowed and adds nothing (the draws are skipped, so a zero-noise run equals a non-private one bit
 * for bit); its privacy is then infinite, which {@link RdpAccountant} reports.
 */
public final class GaussianNoise {
    private final double sigma;
    private final NoiseSource source;

    /** Noise of standard deviation {@code sigma} from a {@link SecureNoiseSource}. */
    public GaussianNoise(double sigma) {
        this(sigma, new SecureNoiseSource());
    }

    /** Noise from {@code source}; tests pass a seeded source here, production code never needs to. */
    public GaussianNoise(double sigma, NoiseSource source) {
        this.sigma = DpPreconditions.nonNegativeFinite(sigma, "sigma");
        this.source = DpPreconditions.notNull(source, "source");
    }

    public double sigma() {
        return sigma;
    }

    /** Adds noise to every element of {@code values} in place and returns it. */
    public double[] addTo(double[] values) {
        DpPreconditions.notNull(values, "values");
        if (sigma == 0) {
            return values;
        }
        for (int j = 0; j < values.length; j++) {
            values[j] += sigma * source.nextStandardGaussian();
        }
        return values;
    }

    @Override
    public String toString() {
        return "GaussianNoise[sigma=" + sigma + "]";
    }
}
