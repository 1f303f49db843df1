package io.metafed.coordinator.aggregate;

import io.metafed.security.dp.PrivacyLedger;
import io.metafed.security.dp.PrivacyLoss;
import java.util.Map;
import java.util.Optional;

/**
 * The privacy ledger's state in a model version's provenance, so that a coordinator resumed from a checkpoint
 * continues the accounting instead of restarting it at ε = 0 (which would understate the privacy spent). The RDP
 * vector is written with {@link Double#toString}, which round-trips exactly.
 */
public final class PrivacyProvenance {
    static final String RELEASES = "dp.releases";
    static final String RDP = "dp.rdp";
    static final String EPSILON = "dp.epsilonSpent";

    private PrivacyProvenance() {
    }

    /** The ledger for a federation with {@code rule}, starting at a model with {@code hyperparameters}; empty without DP. */
    public static Optional<PrivacyLedger> ledgerFor(AggregationRule rule, int modelRound,
            Map<String, String> hyperparameters) {
        if (!(rule instanceof DifferentiallyPrivate dp)) {
            return Optional.empty();
        }
        if (modelRound < 0) {
            return Optional.of(dp.budget().newLedger());
        }
        String releases = hyperparameters.get(RELEASES);
        String rdp = hyperparameters.get(RDP);
        if (releases == null || rdp == null) {
            throw new IllegalStateException("cannot resume a differentially private federation from the model of"
                    + " round " + modelRound + ": its provenance has no privacy accounting (" + RELEASES + ", " + RDP
                    + "), so the privacy already spent is unknown");
        }
        String[] parts = rdp.split(",");
        double[] values = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Double.parseDouble(parts[i]);
        }
        return Optional.of(PrivacyLedger.restore(dp.budget(), Long.parseLong(releases), values));
    }

    /** Records, in {@code hyperparameters}, the ledger as it will be once this version's release is spent. */
    public static void record(Map<String, String> hyperparameters, long releases, double[] rdp, PrivacyLoss loss) {
        StringBuilder text = new StringBuilder();
        for (double v : rdp) {
            text.append(text.length() == 0 ? "" : ",").append(v);
        }
        hyperparameters.put(RELEASES, Long.toString(releases));
        hyperparameters.put(RDP, text.toString());
        hyperparameters.put(EPSILON, Double.toString(loss.epsilon()));
    }
}
