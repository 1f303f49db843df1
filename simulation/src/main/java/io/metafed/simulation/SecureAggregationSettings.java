package io.metafed.simulation;

import io.metafed.coordinator.server.secagg.SecAggMode;
import java.util.Objects;

/**
 * Secure aggregation (Bonawitz et al. 2017) of FedReptile and FedAvg rounds: clients clip Δ to L2 norm
 * {@code clipNorm}, encode w·Δ in fixed point and take part in the masking protocol; the coordinator sees only the
 * decoded sum. See docs/SECURE-AGGREGATION.md, "In the simulator".
 *
 * @param clipNorm        C, finite and &gt; 0: sets the fixed-point range, so updates longer than C are clipped
 * @param dropoutFraction share of each round's clients that vanish after sharing their keys, in [0, 0.5): the
 *                        protocol's majority threshold fails the round at one half
 * @param mode            Bonawitz, SecAgg+ or the size-dependent choice ({@link SecAggMode#AUTO}, the default; the
 *                        simulator's 16–32 clients per round are Bonawitz rounds under it)
 */
public record SecureAggregationSettings(double clipNorm, double dropoutFraction, SecAggMode mode) {
    public SecureAggregationSettings(double clipNorm, double dropoutFraction) {
        this(clipNorm, dropoutFraction, SecAggMode.AUTO);
    }

    public SecureAggregationSettings {
        Objects.requireNonNull(mode, "mode");
        if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be finite and > 0, found " + clipNorm);
        }
        if (!(dropoutFraction >= 0 && dropoutFraction < 0.5)) {
            throw new IllegalArgumentException("dropoutFraction must be in [0, 0.5), found " + dropoutFraction);
        }
    }
}
