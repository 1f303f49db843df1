package io.metafed.simulation;

import io.metafed.security.dp.PrivacyBudget;
import java.util.Objects;

/**
 * Differential privacy of a simulation: every federated rule (and the central reference, for parity) is wrapped
 * in {@link io.metafed.coordinator.aggregate.DifferentiallyPrivate} with clip norm C and the budget's noise
 * multiplier; see docs/PRIVACY.md.
 *
 * @param clipNorm C > 0, or +∞ together with noise multiplier 0 (accounting only)
 */
public record PrivacySettings(double clipNorm, PrivacyBudget budget) {
    public PrivacySettings {
        Objects.requireNonNull(budget, "budget");
        if (!(clipNorm > 0)) {
            throw new IllegalArgumentException("clipNorm must be > 0 (or +Infinity), found " + clipNorm);
        }
    }
}
