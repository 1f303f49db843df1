package io.metafed.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.aggregate.Adam;
import io.metafed.coordinator.aggregate.AggregationRules;
import io.metafed.coordinator.aggregate.EpsilonSchedule;
import io.metafed.coordinator.aggregate.FedAvg;
import io.metafed.coordinator.aggregate.Momentum;
import io.metafed.coordinator.aggregate.Reptile;
import io.metafed.coordinator.aggregate.Sgd;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.coordinator.round.RoundConfig;
import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.algorithm.LocalTraining;
import io.metafed.model.nn.ParamLayout;
import org.junit.jupiter.api.Test;

/** The server half of the algorithm registry, and the coordinator announcing the round's algorithm. */
class AlgorithmRegistryTest {
    private static final EpsilonSchedule ONE = new EpsilonSchedule.Constant(1.0);

    @Test
    void rules_fedAvgAveragesModels_everyOtherAlgorithmMovesThetaByEpsilon() {
        assertInstanceOf(FedAvg.class, AggregationRules.of(FederatedAlgorithm.FEDAVG, ONE, new Sgd()));
        // FedAvg with a server optimizer is FedOpt: the mean update through that optimizer.
        assertEquals(new Reptile(ONE, Adam.defaults()),
                AggregationRules.of(FederatedAlgorithm.FEDAVG, ONE, Adam.defaults()));
        EpsilonSchedule half = new EpsilonSchedule.Constant(0.5);
        for (FederatedAlgorithm a : new FederatedAlgorithm[] {FederatedAlgorithm.FEDREPTILE, FederatedAlgorithm.FOMAML,
                FederatedAlgorithm.META_SGD, FederatedAlgorithm.FEDRECON}) {
            assertEquals(new Reptile(half, new Momentum(0.9)), AggregationRules.of(a, half,
                    AggregationRules.optimizer("momentum")), a.wireName());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AggregationRules.optimizer("rmsprop"));
        assertEquals("server optimizer must be sgd, momentum or adam, found 'rmsprop'", e.getMessage());
    }

    @Test
    void round_announcesTheAlgorithm_andAggregatesByItsRule() {
        LocalTraining fomaml = LocalTraining.builder(FederatedAlgorithm.FOMAML).steps(2).metaStepSize(0.3).build();
        CoordinatorConfig config = new CoordinatorConfig(RoundConfig.of(2, 2, 1), fomaml,
                AggregationRules.of(FederatedAlgorithm.FOMAML, new EpsilonSchedule.Constant(0.5), new Sgd()));
        Coordinator c = Fixtures.coordinator(Fixtures.tinyLayout(), new float[6], config, new InMemoryCheckpointStore(),
                2);
        RoundTask task = c.openRound();
        assertEquals(fomaml, task.training());
        c.submit(Fixtures.update(task, "c0", new float[] {1, 0, 0, 0, 0, 2}, 1));
        c.submit(Fixtures.update(task, "c1", new float[] {3, 0, 0, 0, 0, 0}, 1));
        c.closeRound();
        // θ + ε·mean(Δ) = 0.5 · (2, 0, 0, 0, 0, 1)
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 0.5f}, c.currentModel().params(), 1e-6f);
        assertEquals("fomaml", c.currentModel().provenance().hyperparameters().get("client.algorithm"));
    }

    @Test
    void coordinator_refusesAnAlgorithmThatCannotTrainItsLayout() {
        ParamLayout layout = Fixtures.tinyLayout();
        for (FederatedAlgorithm a : new FederatedAlgorithm[] {FederatedAlgorithm.FEDRECON, FederatedAlgorithm.META_SGD}) {
            CoordinatorConfig config = new CoordinatorConfig(RoundConfig.of(2, 2, 1),
                    LocalTraining.builder(a).build(), AggregationRules.of(a, ONE, new Sgd()));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Coordinator(layout, new float[6], config, new InMemoryCheckpointStore(), Fixtures.CLOCK));
            assertTrue(e.getMessage().contains(a.wireName()), e.getMessage());
        }
        // Meta-SGD trains θ with its rates appended.
        ParamLayout rates = layout.withInnerRates();
        new Coordinator(rates, new float[12], new CoordinatorConfig(RoundConfig.of(2, 2, 1),
                LocalTraining.builder(FederatedAlgorithm.META_SGD).build(), Reptile.constant(1.0)),
                new InMemoryCheckpointStore(), Fixtures.CLOCK);
    }
}
