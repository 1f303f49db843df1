package io.metafed.security.dp;

import java.util.Map;

/**
 * The privacy parameters of a federation, fixed for its lifetime: noise multiplier z = σ/C, δ, a target ε and
 * what to do when it is reached. The sampling rate q is not part of the budget: it is measured per release (see
 * {@link PrivacyLedger#spend}), because a declared population that turns out smaller than the real one would
 * silently understate ε.
 *
 * @param noiseMultiplier z ≥ 0; 0 means no noise and ε = +∞
 * @param delta δ ∈ (0, 1); choose δ ≪ 1/population
 * @param targetEpsilon the ε at which {@code policy} applies; +∞ for none
 * @param policy WARN or STOP
 */
public record PrivacyBudget(double noiseMultiplier, double delta, double targetEpsilon, BudgetPolicy policy) {

    public PrivacyBudget {
        DpPreconditions.nonNegativeFinite(noiseMultiplier, "noiseMultiplier");
        DpPreconditions.openUnit(delta, "delta");
        DpPreconditions.positiveEpsilon(targetEpsilon, "targetEpsilon");
        DpPreconditions.notNull(policy, "policy");
        if (policy == BudgetPolicy.STOP && targetEpsilon == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("policy STOP needs a finite targetEpsilon, found +Infinity");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A fresh ledger that spends this budget. */
    public PrivacyLedger newLedger() {
        return new PrivacyLedger(this);
    }

    /** Parameters for provenance, keys prefixed {@code dp.}. */
    public Map<String, String> describe() {
        return Map.of("dp.noiseMultiplier", Double.toString(noiseMultiplier), "dp.delta", Double.toString(delta),
                "dp.targetEpsilon", Double.toString(targetEpsilon), "dp.policy", policy.name());
    }

    /**
     * Validating builder: z and δ have no defaults, because a silently defaulted privacy parameter is a wrong
     * guarantee nobody chose. Without a target ε the policy is WARN and never triggers.
     */
    public static final class Builder {
        private Double noiseMultiplier;
        private Double delta;
        private double targetEpsilon = Double.POSITIVE_INFINITY;
        private BudgetPolicy policy = BudgetPolicy.WARN;

        private Builder() {
        }

        public Builder noiseMultiplier(double z) {
            this.noiseMultiplier = DpPreconditions.nonNegativeFinite(z, "noiseMultiplier");
            return this;
        }

        public Builder delta(double delta) {
            this.delta = DpPreconditions.openUnit(delta, "delta");
            return this;
        }

        public Builder targetEpsilon(double epsilon) {
            this.targetEpsilon = DpPreconditions.positiveEpsilon(epsilon, "targetEpsilon");
            return this;
        }

        public Builder policy(BudgetPolicy policy) {
            this.policy = DpPreconditions.notNull(policy, "policy");
            return this;
        }

        public PrivacyBudget build() {
            if (noiseMultiplier == null || delta == null) {
                throw new IllegalStateException("noiseMultiplier and delta must be set explicitly, found "
                        + "noiseMultiplier=" + noiseMultiplier + ", delta=" + delta);
            }
            return new PrivacyBudget(noiseMultiplier, delta, targetEpsilon, policy);
        }
    }
}
