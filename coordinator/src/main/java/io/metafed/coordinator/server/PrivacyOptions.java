package io.metafed.coordinator.server;

import io.metafed.coordinator.aggregate.PrivacySettings;
import io.metafed.security.dp.BudgetPolicy;
import io.metafed.security.dp.PrivacyBudget;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --dp-*} options of every command that runs a federation (the coordinator server and the simulator),
 * as a picocli mixin, so that both spell and validate differential privacy the same way (docs/PRIVACY.md).
 */
public final class PrivacyOptions {
    @Option(names = "--dp-clip", paramLabel = "C",
            description = "Differential privacy: clip every client update to L2 norm C (Infinity: no clipping, only "
                    + "with --dp-noise 0). Needs --dp-noise.")
    Double clip;

    @Option(names = "--dp-noise", paramLabel = "z",
            description = "Differential privacy: noise multiplier z; the mean update gets N(0, (zC/clients)²) noise. "
                    + "Needs --dp-clip.")
    Double noise;

    @Option(names = "--dp-delta", defaultValue = "1e-5",
            description = "Differential privacy: δ of the reported (ε, δ) (default: ${DEFAULT-VALUE}).")
    double delta;

    @Option(names = "--dp-target-epsilon", paramLabel = "E",
            description = "Differential privacy: ε at which --dp-policy applies (default: none).")
    Double targetEpsilon;

    @Option(names = "--dp-policy", defaultValue = "WARN",
            description = "At the target ε: WARN (log and continue) or STOP (no further rounds) (default: ${DEFAULT-VALUE}).")
    BudgetPolicy policy;

    /**
     * The settings given, or empty when no {@code --dp-*} option asks for privacy.
     *
     * @throws IllegalArgumentException naming the options when they are incomplete or out of range
     */
    public Optional<PrivacySettings> settings() {
        if (clip == null && noise == null) {
            if (targetEpsilon != null) {
                throw new IllegalArgumentException("--dp-target-epsilon needs --dp-clip and --dp-noise");
            }
            return Optional.empty();
        }
        if (clip == null || noise == null) {
            throw new IllegalArgumentException("differential privacy needs both --dp-clip and --dp-noise, found "
                    + "--dp-clip " + clip + " --dp-noise " + noise);
        }
        PrivacyBudget.Builder budget = PrivacyBudget.builder().noiseMultiplier(noise).delta(delta).policy(policy);
        if (targetEpsilon != null) {
            budget.targetEpsilon(targetEpsilon);
        }
        return Optional.of(new PrivacySettings(clip, budget.build()));
    }
}
