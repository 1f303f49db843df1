package io.metafed.coordinator.aggregate;

import io.metafed.security.dp.PrivacyBudget;
import java.util.Objects;

/**
 * Differential privacy of a federation: its rule is wrapped in {@link DifferentiallyPrivate} with clip norm C and
 * the budget's noise multiplier; see docs/PRIVACY.md. Used by the coordinator server and the simulator alike.
 *
 * @param clipNorm C &gt; 0, or +∞ together with noise multiplier 0 (accounting only)
 */
public record PrivacySettings(double clipNorm, PrivacyBudget budget) {
    public PrivacySettings {
        Objects.requireNonNull(budget, "budget");
        if (!(clipNorm > 0)) {
            throw new IllegalArgumentException("clipNorm must be > 0 (or +Infinity), found " + clipNorm);
        }
    }

    /** {@code inner} made differentially private over rounds that count {@code expectedClients} updates. */
    public DifferentiallyPrivate wrap(AggregationRule inner, int expectedClients) {
        return DifferentiallyPrivate.of(inner, clipNorm, expectedClients, budget);
    }
}
