package io.metafed.simulation.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.CoordinatorConfig;
import io.metafed.coordinator.aggregate.Reptile;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.coordinator.round.RoundConfig;
import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.algorithm.LocalTraining;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.nn.CollabInitializer;
import io.metafed.model.nn.ParamLayout;
import io.metafed.simulation.CollabSettings;
import io.metafed.simulation.ModelFamily;
import io.metafed.simulation.SimulationRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FedRecon rounds with each worker adapting its clients together ({@link CollabBackend#batched}) train the same θ
 * as rounds with every client adapted alone by the plain-Java reference, up to float rounding: same sampling, same
 * submission order, same updates within 1e-5.
 */
class BatchedCollabRoundsTest {
    @TempDir
    Path dir;

    @Test
    void batchedRounds_trainTheSameTheta_asClientByClientRounds_dormantDevicesToo() throws java.io.IOException {
        assumeFalse(Boolean.getBoolean("skipONNXTests"), "ONNX Runtime tests disabled by -DskipONNXTests");
        Dataset data = SyntheticDataGenerator.generate(SyntheticConfig.small(4));
        ParamLayout layout = SimulationRunner.layout(ModelFamily.COLLAB, CollabSettings.DEFAULT, data);
        Map<Integer, List<Interaction>> byUser = new LinkedHashMap<>();
        for (Interaction in : data.interactions()) {
            byUser.computeIfAbsent(in.user(), u -> new ArrayList<>()).add(in);
        }
        float[] theta0 = CollabInitializer.initialize(layout, 4, 3.5f);
        float[] java = train(layout, theta0, data, byUser, CollabBackend.JAVA, "java",
                ClientPool.Scheduling.SHARED_QUEUE);
        // Groups of 3 (12 clients a round in several calls per worker), half the devices dormant, both schedulings.
        float[] batched = train(layout, theta0, data, byUser, CollabBackend.batched(3), "batched",
                ClientPool.Scheduling.SHARED_QUEUE);
        float[] fixed = train(layout, theta0, data, byUser, CollabBackend.batched(3), "fixed",
                ClientPool.Scheduling.FIXED_WORKERS);
        double worst = 0;
        double moved = 0;
        for (int i = 0; i < java.length; i++) {
            assertEquals(java[i], batched[i], 1e-5 * Math.max(1, Math.abs(java[i])), "θ[" + i + "]");
            assertEquals(java[i], fixed[i], 1e-5 * Math.max(1, Math.abs(java[i])), "θ[" + i + "], fixed workers");
            worst = Math.max(worst, Math.max(Math.abs(java[i] - batched[i]), Math.abs(java[i] - fixed[i])));
            moved = Math.max(moved, Math.abs(java[i] - theta0[i]));
        }
        assertTrue(moved > 1e-3, "the rounds moved θ: largest change " + moved);
        System.out.println("batched vs java rounds: largest |θ difference| = " + worst + ", largest change " + moved);
    }

    private float[] train(ParamLayout layout, float[] theta0, Dataset data, Map<Integer, List<Interaction>> byUser,
            CollabBackend backend, String name, ClientPool.Scheduling scheduling) throws java.io.IOException {
        Path stores = java.nio.file.Files.createDirectories(dir.resolve(name));
        Coordinator coordinator = new Coordinator(layout, theta0, new CoordinatorConfig(RoundConfig.of(12, 12, 2),
                LocalTraining.builder(FederatedAlgorithm.FEDRECON).steps(5).learningRate(0.05).batchSize(16).build(),
                Reptile.constant(1.0)), new InMemoryCheckpointStore(), Clock.systemUTC());
        try (WorkerRuntimes workers = new WorkerRuntimes(layout, 2, backend);
             ClientPool pool = new ClientPool(workers, layout, data, data.scale(), byUser, stores, byUser.size() / 2, scheduling)) {
            int failed = new FederatedTraining(coordinator, pool, 4).run(5, (round, model, updates) ->
                    assertEquals(12, updates.size(), "every selected client contributed in round " + round));
            assertEquals(0, failed);
        }
        return coordinator.currentModel().params();
    }
}
