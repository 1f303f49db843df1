package io.metafed.security.dp;

/**
 * An (ε, δ)-DP guarantee and the Rényi order α that gave the smallest ε for that δ (NaN when no order applies,
 * e.g. nothing was spent yet).
 */
public record PrivacyLoss(double epsilon, double delta, double order) {

    public PrivacyLoss {
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException("epsilon must be >= 0 (or +Infinity), found " + epsilon);
        }
        DpPreconditions.openUnit(delta, "delta");
    }

    /** (0, δ): nothing released yet. */
    public static PrivacyLoss none(double delta) {
        return new PrivacyLoss(0, delta, Double.NaN);
    }
}
