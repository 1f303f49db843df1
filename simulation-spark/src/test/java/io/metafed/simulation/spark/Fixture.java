package io.metafed.simulation.spark;

import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.CoordinatorConfig;
import io.metafed.coordinator.aggregate.AggregationRules;
import io.metafed.coordinator.aggregate.EpsilonSchedule;
import io.metafed.coordinator.aggregate.Sgd;
import io.metafed.coordinator.model.CheckpointStore;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.coordinator.round.RoundConfig;
import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.algorithm.LocalTraining;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.nn.ParamLayout;
import io.metafed.simulation.CollabSettings;
import io.metafed.simulation.ModelFamily;
import io.metafed.simulation.SimulationRunner;
import io.metafed.simulation.federation.ClientExecution;
import io.metafed.simulation.federation.ClientSetup;
import io.metafed.simulation.federation.FederatedTraining;
import io.metafed.simulation.federation.WorkerRuntimes;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small synthetic federations for the engine tests: the same data, layout, θ₀ and coordinator for both engines. */
final class Fixture {
    static final long SEED = 7;
    final Dataset data;
    final ModelFamily model;
    final ParamLayout layout;
    final Map<Integer, List<Interaction>> byUser = new LinkedHashMap<>();

    Fixture(ModelFamily model, int users) {
        this.model = model;
        this.data = SyntheticDataGenerator.generate(new SyntheticConfig(SEED, users, 120, 5, 30, 4, 0.8, 0.6, 0.5));
        this.layout = SimulationRunner.layout(model, CollabSettings.DEFAULT, data);
        for (Interaction in : data.interactions()) {
            byUser.computeIfAbsent(in.user(), u -> new ArrayList<>()).add(in);
        }
    }

    ClientSetup setup(WorkerRuntimes workers, Path storeDir) {
        return new ClientSetup(workers, layout, model, CollabSettings.DEFAULT, data, byUser, storeDir);
    }

    FederatedAlgorithm algorithm() {
        return model == ModelFamily.COLLAB ? FederatedAlgorithm.FEDRECON : FederatedAlgorithm.FEDREPTILE;
    }

    LocalTraining training() {
        return LocalTraining.builder(algorithm()).steps(3).learningRate(0.05).batchSize(16).build();
    }

    CoordinatorConfig config(int clientsPerRound) {
        return config(clientsPerRound, 1.0);
    }

    CoordinatorConfig config(int clientsPerRound, double overSelection) {
        return new CoordinatorConfig(new RoundConfig(clientsPerRound, Math.max(1, clientsPerRound / 2), overSelection,
                SEED), training(), AggregationRules.of(algorithm(), new EpsilonSchedule.Constant(1.0), new Sgd()));
    }

    float[] theta0() {
        return SimulationRunner.initialParams(layout, SEED, 3.5f);
    }

    Coordinator coordinator(int clientsPerRound, CheckpointStore store) {
        return new Coordinator(layout, theta0(), config(clientsPerRound), store, Clock.systemUTC());
    }

    /** θ after {@code rounds} rounds of {@code clientsPerRound} clients on {@code pool}. */
    float[] train(ClientExecution pool, int rounds, int clientsPerRound) {
        Coordinator coordinator = coordinator(clientsPerRound, new InMemoryCheckpointStore());
        int failed = new FederatedTraining(coordinator, pool, SEED).run(rounds, (r, m, u) -> { });
        if (failed > 0) {
            throw new AssertionError(failed + " of " + rounds + " rounds failed");
        }
        return coordinator.currentModel().params();
    }

    /**
     * θ after {@code rounds} rounds selecting ⌈clientsPerRound · overSelection⌉ clients and taking the earliest
     * clientsPerRound to arrive by {@code deadline}; also checks that every round was full.
     */
    float[] train(ClientExecution pool, int rounds, int clientsPerRound, double overSelection,
                  io.metafed.simulation.federation.RoundDeadline deadline) {
        Coordinator coordinator = new Coordinator(layout, theta0(), config(clientsPerRound, overSelection),
                new InMemoryCheckpointStore(), Clock.systemUTC());
        FederatedTraining training = new FederatedTraining(coordinator, pool, SEED, java.util.Optional.empty(),
                java.util.Optional.of(deadline));
        int failed = training.run(rounds, (r, m, u) -> { });
        if (failed > 0 || training.stats().used() != (long) rounds * clientsPerRound
                || training.stats().stragglers() == 0) {
            throw new AssertionError("every round must be full and have stragglers: " + training.stats());
        }
        return coordinator.currentModel().params();
    }

    /** max |a − b| / max |b|: the difference relative to θ's scale. */
    static double relativeDifference(float[] a, float[] b) {
        double diff = 0;
        double scale = 0;
        for (int j = 0; j < b.length; j++) {
            diff = Math.max(diff, Math.abs((double) a[j] - b[j]));
            scale = Math.max(scale, Math.abs(b[j]));
        }
        return diff / scale;
    }
}
