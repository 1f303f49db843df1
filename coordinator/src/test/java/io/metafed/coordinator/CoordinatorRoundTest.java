package io.metafed.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.aggregate.EpsilonSchedule;
import io.metafed.coordinator.aggregate.FedAvg;
import io.metafed.coordinator.aggregate.Reptile;
import io.metafed.coordinator.aggregate.Sgd;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.coordinator.model.ModelVersion;
import io.metafed.coordinator.round.RoundConfig;
import io.metafed.coordinator.round.RoundState;
import io.metafed.model.nn.ParamLayout;
import org.junit.jupiter.api.Test;

/** Successful rounds end to end through the facade, on the 6-parameter layout. */
class CoordinatorRoundTest {
    private static final float[] THETA = {0, 1, 2, 3, 4, 5};

    @Test
    void closeRound_twoWeightedUpdates_adoptsHandComputedReptileAggregate() {
        ParamLayout layout = Fixtures.tinyLayout();
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        Coordinator c = Fixtures.coordinator(layout, THETA,
                Fixtures.config(RoundConfig.of(2, 2, 1), Reptile.constant(0.5)), store, 2);
        RoundTask task = c.openRound();
        assertEquals(0, task.roundId());
        assertEquals(0, task.modelVersion());
        assertEquals(layout.id(), task.layoutId());
        assertEquals(Fixtures.CLIENT, task.training());

        c.submit(Fixtures.update(task, "c0", new float[] {4, 0, 0, 0, 0, -4}, 1));
        c.submit(Fixtures.update(task, "c1", new float[] {0, 4, 0, 0, 0, 4}, 3));
        RoundResult result = c.closeRound();

        // Σ wΔ = 1·[4, 0, 0, 0, 0, −4] + 3·[0, 4, 0, 0, 0, 4] = [4, 12, 0, 0, 0, 8]; Σ w = 4
        // Δ̄ = [1, 3, 0, 0, 0, 2]; θ + 0.5·Δ̄ = [0.5, 2.5, 2, 3, 4, 6]
        ModelVersion next = assertInstanceOf(RoundResult.Aggregated.class, result).model();
        assertArrayEquals(new float[] {0.5f, 2.5f, 2, 3, 4, 6}, next.params());
        assertEquals(1, next.version());
        assertEquals(0, next.round());
        assertEquals(next, c.currentModel());
        assertEquals(next, store.latest().orElseThrow());
        assertEquals(RoundState.AGGREGATED, c.roundStatus().orElseThrow().state());
    }

    @Test
    void closeRound_aggregated_recordsProvenance() {
        ParamLayout layout = Fixtures.tinyLayout();
        Coordinator c = Fixtures.coordinator(layout, THETA,
                Fixtures.config(RoundConfig.of(2, 1, 1), Reptile.constant(0.5)), new InMemoryCheckpointStore(), 2);
        RoundTask task = c.openRound();
        c.submit(Fixtures.update(task, "c0", new float[6], 2.5));
        var p = ((RoundResult.Aggregated) c.closeRound()).model().provenance();
        assertEquals(0, p.round());
        assertEquals(1, p.participants());
        assertEquals(2.5, p.totalWeight());
        assertEquals(Fixtures.CLOCK.instant(), p.createdAt());
        assertEquals(layout.id(), p.layoutId());
        assertEquals("reptile", p.hyperparameters().get("rule"));
        assertEquals("0.5", p.hyperparameters().get("epsilon.applied"));
        assertEquals("5", p.hyperparameters().get("client.innerSteps"));
        assertEquals(System.getProperty("java.version"), p.javaVersion());
        assertTrue(p.libraryVersion().matches("\\d+\\.\\d+.*"), p.libraryVersion());
    }

    @Test
    void openRound_afterAggregation_buildsOnNewVersionWithScheduledEpsilon() {
        Coordinator c = Fixtures.coordinator(Fixtures.tinyLayout(), new float[6], Fixtures.config(
                RoundConfig.of(1, 1, 1), new Reptile(new EpsilonSchedule.LinearDecay(1.0, 4, 0), new Sgd())),
                new InMemoryCheckpointStore(), 1);
        float[] delta = {1, 1, 1, 1, 1, 1};
        RoundTask first = c.openRound();
        c.submit(Fixtures.update(first, "c0", delta, 1));
        c.closeRound(); // ε_0 = 1: θ1 = 0 + 1·1 = 1 everywhere
        RoundTask second = c.openRound();
        assertEquals(1, second.roundId());
        assertEquals(1, second.modelVersion());
        c.submit(Fixtures.update(second, "c0", delta, 1));
        RoundResult.Aggregated r = (RoundResult.Aggregated) c.closeRound();
        // ε_1 = 1·(1 − 1/4) = 0.75: θ2 = 1 + 0.75·1 = 1.75 everywhere
        assertEquals(0.75, r.epsilon(), 1e-12);
        assertArrayEquals(new float[] {1.75f, 1.75f, 1.75f, 1.75f, 1.75f, 1.75f}, r.model().params());
        assertEquals(2, r.model().version());
    }

    @Test
    void closeRound_fedAvg_averagesReconstructedModels() {
        Coordinator c = Fixtures.coordinator(Fixtures.tinyLayout(), THETA,
                Fixtures.config(RoundConfig.of(2, 2, 1), new FedAvg()), new InMemoryCheckpointStore(), 2);
        RoundTask task = c.openRound();
        c.submit(Fixtures.update(task, "c0", new float[] {2, 0, 0, 0, 0, 0}, 1)); // φ0 = [2, 1, 2, 3, 4, 5]
        c.submit(Fixtures.update(task, "c1", new float[] {0, 0, 0, 0, 0, 4}, 1)); // φ1 = [0, 1, 2, 3, 4, 9]
        // (φ0 + φ1) / 2 = [1, 1, 2, 3, 4, 7]
        ModelVersion next = ((RoundResult.Aggregated) c.closeRound()).model();
        assertArrayEquals(new float[] {1, 1, 2, 3, 4, 7}, next.params());
    }

    @Test
    void constructor_initialParamsOfWrongLength_rejected() {
        var config = Fixtures.config(RoundConfig.of(1, 1, 1), Reptile.constant(1));
        var e = assertThrows(IllegalArgumentException.class, () -> new Coordinator(Fixtures.tinyLayout(),
                new float[5], config, new InMemoryCheckpointStore(), Fixtures.CLOCK));
        assertTrue(e.getMessage().contains("6") && e.getMessage().contains("5"), e.getMessage());
    }

    @Test
    void currentModel_beforeAnyRound_isVersionZeroWithInitialParams() {
        Coordinator c = Fixtures.coordinator(Fixtures.tinyLayout(), THETA,
                Fixtures.config(RoundConfig.of(1, 1, 1), Reptile.constant(1)), new InMemoryCheckpointStore(), 0);
        assertEquals(0, c.currentModel().version());
        assertEquals(-1, c.currentModel().round());
        assertArrayEquals(THETA, c.currentModel().params());
        assertTrue(c.roundStatus().isEmpty());
    }
}
