package io.metafed.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.aggregate.DifferentiallyPrivate;
import io.metafed.coordinator.aggregate.Reptile;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.coordinator.model.ModelVersion;
import io.metafed.coordinator.round.RoundConfig;
import io.metafed.security.dp.BudgetPolicy;
import io.metafed.security.dp.PrivacyBudget;
import io.metafed.security.dp.PrivacyLoss;
import io.metafed.security.dp.RdpAccountant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Privacy accounting of a coordinator with a {@link DifferentiallyPrivate} rule. */
class CoordinatorPrivacyTest {
    private static final int CLIENTS = 20;
    private static final int PER_ROUND = 2;
    private static final double Z = 1.0;
    private static final float[] DELTA = {0.1f, -0.2f, 0.3f, 0, 0, 0.1f};

    private static CoordinatorConfig config(PrivacyBudget budget) {
        return Fixtures.config(RoundConfig.of(PER_ROUND, 1, 7),
                DifferentiallyPrivate.of(Reptile.constant(1.0), 0.5, PER_ROUND, budget));
    }

    private static PrivacyBudget.Builder budget() {
        return PrivacyBudget.builder().noiseMultiplier(Z).delta(1e-5);
    }

    private static ModelVersion runRound(Coordinator c) {
        RoundTask task = c.openRound();
        for (String client : task.selectedClients()) {
            c.submit(Fixtures.update(task, client, DELTA, 3));
        }
        return assertInstanceOf(RoundResult.Aggregated.class, c.closeRound()).model();
    }

    @Test
    void withoutDp_nothingIsAccounted() {
        assertEquals(Optional.empty(), Fixtures.tinyReptile(1, RoundConfig.of(2, 1, 1), 2).privacySpent());
    }

    @Test
    void everyAggregatedRound_spendsOneReleaseAtTheMeasuredSamplingRate() {
        Coordinator c = Fixtures.coordinator(Fixtures.tinyLayout(), new float[6], config(budget().build()),
                new InMemoryCheckpointStore(), CLIENTS);
        assertEquals(0, c.privacySpent().orElseThrow().epsilon());
        double previous = 0;
        for (int round = 1; round <= 5; round++) {
            ModelVersion model = runRound(c);
            PrivacyLoss spent = c.privacySpent().orElseThrow();
            assertTrue(Double.isFinite(spent.epsilon()) && spent.epsilon() > previous, "round " + round);
            previous = spent.epsilon();
            double q = (double) PER_ROUND / CLIENTS;
            assertEquals(new RdpAccountant().epsilon(q, Z, round, 1e-5).epsilon(), spent.epsilon(), 1e-9);
            assertEquals(Double.toString(spent.epsilon()),
                    model.provenance().hyperparameters().get("dp.epsilonSpent"));
        }
    }

    @Test
    void stopPolicy_refusesToOpenTheRoundThatWouldExceedTheTarget() {
        double target = 3.0;
        Coordinator c = Fixtures.coordinator(Fixtures.tinyLayout(), new float[6],
                config(budget().targetEpsilon(target).policy(BudgetPolicy.STOP).build()),
                new InMemoryCheckpointStore(), CLIENTS);
        int rounds = 0;
        IllegalStateException refused = null;
        while (refused == null && rounds < 10_000) {
            try {
                runRound(c);
                rounds++;
            } catch (IllegalStateException e) {
                refused = e;
            }
        }
        assertTrue(refused != null && refused.getMessage().contains("privacy budget exhausted"), "" + refused);
        assertTrue(rounds > 1);
        assertTrue(c.privacySpent().orElseThrow().epsilon() <= target);
        long version = c.currentModel().version();
        assertThrows(IllegalStateException.class, c::openRound, "refusal is permanent");
        assertEquals(version, c.currentModel().version());
    }

    @Test
    void warnPolicy_keepsRunningPastTheTarget() {
        Coordinator c = Fixtures.coordinator(Fixtures.tinyLayout(), new float[6],
                config(budget().targetEpsilon(0.5).build()), new InMemoryCheckpointStore(), CLIENTS);
        for (int round = 0; round < 40; round++) {
            runRound(c);
        }
        assertTrue(c.privacySpent().orElseThrow().epsilon() > 0.5);
    }

    @Test
    void resume_continuesTheAccountingFromTheCheckpoint() throws Exception {
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        CoordinatorConfig config = config(budget().build());
        Coordinator first = Fixtures.coordinator(Fixtures.tinyLayout(), new float[6], config, store, CLIENTS);
        for (int round = 0; round < 4; round++) {
            runRound(first);
        }
        Coordinator resumed = Coordinator.resume(Fixtures.tinyLayout(), new float[6], config, store, Fixtures.CLOCK, 0);
        assertEquals(first.privacySpent(), resumed.privacySpent());
    }

    @Test
    void resume_ofAPrivateFederationFromANonPrivateCheckpoint_isRefused() {
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        Coordinator plain = Fixtures.coordinator(Fixtures.tinyLayout(), new float[6],
                Fixtures.config(RoundConfig.of(PER_ROUND, 1, 7), Reptile.constant(1.0)), store, CLIENTS);
        runRound(plain);
        assertThrows(IllegalStateException.class, () -> Coordinator.resume(Fixtures.tinyLayout(), new float[6],
                config(budget().build()), store, Fixtures.CLOCK, 0));
    }

    @Test
    void config_rejectsExpectedClientsOtherThanClientsPerRound() {
        assertThrows(IllegalArgumentException.class, () -> Fixtures.config(RoundConfig.of(3, 1, 7),
                DifferentiallyPrivate.of(Reptile.constant(1.0), 0.5, 2, budget().build())));
    }
}
