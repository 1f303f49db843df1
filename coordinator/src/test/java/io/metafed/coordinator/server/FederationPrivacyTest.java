package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.aggregate.DifferentiallyPrivate;
import io.metafed.coordinator.aggregate.PrivacySettings;
import io.metafed.coordinator.server.secagg.SecAggSettings;
import io.metafed.security.dp.BudgetPolicy;
import io.metafed.security.dp.PrivacyBudget;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Differential privacy of a served federation: the --dp-* options, the rule, and what secure rounds tell devices. */
class FederationPrivacyTest {
    private static final PrivacySettings DP = new PrivacySettings(0.5,
            PrivacyBudget.builder().noiseMultiplier(1.1).delta(1e-6).build());

    @Test
    void coordinatorMain_dpOptions_parsedIntoSettings() {
        CoordinatorMain main = new CoordinatorMain();
        new CommandLine(main).parseArgs("--dp-clip", "0.5", "--dp-noise", "1.1", "--dp-delta", "1e-6",
                "--dp-target-epsilon", "8", "--dp-policy", "STOP");
        PrivacySettings settings = main.dp.settings().orElseThrow();
        assertEquals(0.5, settings.clipNorm());
        assertEquals(1.1, settings.budget().noiseMultiplier());
        assertEquals(1e-6, settings.budget().delta());
        assertEquals(BudgetPolicy.STOP, settings.budget().policy());
    }

    @Test
    void coordinatorMain_noDpOptions_noPrivacy_andHalfGiven_refusedNamingBoth() {
        CoordinatorMain main = new CoordinatorMain();
        new CommandLine(main).parseArgs();
        assertTrue(main.dp.settings().isEmpty());
        CoordinatorMain half = new CoordinatorMain();
        new CommandLine(half).parseArgs("--dp-clip", "1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> half.dp.settings());
        assertTrue(e.getMessage().contains("--dp-clip") && e.getMessage().contains("--dp-noise"), e.getMessage());
    }

    @Test
    void federationConfig_withPrivacy_wrapsReptileForClientsPerRound() {
        FederationConfig config = FederationConfig.defaults().withPrivacy(DP);
        DifferentiallyPrivate rule = assertInstanceOf(DifferentiallyPrivate.class, config.coordinatorConfig().rule());
        assertEquals(config.clientsPerRound(), rule.expectedClients());
        assertEquals(0.5, rule.clipper().clipNorm());
    }

    @Test
    void secureRoundSettings_underDp_tighterClipAndUnitWeight_otherwiseAsConfigured() {
        SecAggSettings secure = SecAggSettings.of(10.0, Duration.ofSeconds(20));
        FederationConfig plainSecure = FederationConfig.defaults().withSecureAggregation(secure);
        assertSame(secure, plainSecure.secureRoundSettings());
        assertNull(FederationConfig.defaults().withPrivacy(DP).secureRoundSettings());

        SecAggSettings devices = plainSecure.withPrivacy(DP).secureRoundSettings();
        assertEquals(0.5, devices.clipNorm());
        assertEquals(1.0, devices.maxWeight());
        assertEquals(secure.stageTimeout(), devices.stageTimeout());
        SecAggSettings tight = SecAggSettings.of(0.2, Duration.ofSeconds(20));
        assertEquals(0.2, FederationConfig.defaults().withSecureAggregation(tight).withPrivacy(DP)
                .secureRoundSettings().clipNorm());
    }
}
