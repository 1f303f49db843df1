package io.metafed.simulation;

import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.algorithm.LocalTraining;
import io.metafed.coordinator.aggregate.PrivacySettings;
import io.metafed.coordinator.aggregate.ServerOptimizer;
import io.metafed.model.Checks;
import java.util.List;
import java.util.Optional;

/**
 * Hyperparameters of one simulation. FedReptile and the central reference run {@code innerSteps} minibatch steps
 * per task and move θ by {@code metaLr}; FedAvg clients train {@code fedAvgEpochs} epochs per round at the same
 * inner learning rate and batch size; evaluation adapts with {@code evalSteps} full-batch steps at {@code evalLr}.
 * {@code serverOptimizer} turns FedReptile's (and the central reference's) mean update into the step on θ.
 * {@code privacySettings}, when not null, makes FedReptile, FedAvg and the central reference differentially
 * private (nullable rather than Optional so the record stays serializable by Gson into results.json).
 * {@code annealRounds} anneals the server's ε of every algorithm but FedAvg linearly from {@code metaLr} to 5% of it
 * over the run's last that many rounds ({@link io.metafed.coordinator.aggregate.EpsilonSchedule#annealed}); 0 keeps
 * it constant.
 */
public record SimulationConfig(int rounds, int clientsPerRound, int innerSteps, float innerLr, int batchSize,
                               double metaLr, int fedAvgEpochs, int evalEvery, List<Integer> evalSteps, float evalLr,
                               int threads, List<Algorithm> algorithms, ServerOptimizer serverOptimizer,
                               PrivacySettings privacySettings,
                               SecureAggregationSettings secureAggregationSettings, ModelFamily model,
                               Protocol protocol, CollabSettings collab, int annealRounds) {
    public SimulationConfig {
        Checks.nonNegative(annealRounds, "annealRounds");
        java.util.Objects.requireNonNull(collab, "collab");
        java.util.Objects.requireNonNull(model, "model");
        java.util.Objects.requireNonNull(protocol, "protocol");
        Checks.positive(rounds, "rounds");
        Checks.positive(clientsPerRound, "clientsPerRound");
        Checks.positive(innerSteps, "innerSteps");
        Checks.positive(innerLr, "innerLr");
        Checks.positive(batchSize, "batchSize");
        Checks.positive(metaLr, "metaLr");
        Checks.positive(fedAvgEpochs, "fedAvgEpochs");
        Checks.positive(evalEvery, "evalEvery");
        Checks.positive(evalLr, "evalLr");
        Checks.positive(threads, "threads");
        evalSteps = List.copyOf(evalSteps);
        algorithms = List.copyOf(algorithms);
        if (evalSteps.isEmpty()) {
            throw new IllegalArgumentException("evalSteps must list at least one step count");
        }
        for (int i = 0; i < evalSteps.size(); i++) {
            Checks.nonNegative(evalSteps.get(i), "evalSteps[" + i + "]");
        }
        java.util.Objects.requireNonNull(serverOptimizer, "serverOptimizer");
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("algorithms must name at least one algorithm");
        }
        for (Algorithm a : algorithms) {
            a.requireSupports(model);
        }
    }

    /** Constant ε. */
    public SimulationConfig(int rounds, int clientsPerRound, int innerSteps, float innerLr, int batchSize,
                            double metaLr, int fedAvgEpochs, int evalEvery, List<Integer> evalSteps, float evalLr,
                            int threads, List<Algorithm> algorithms, ServerOptimizer serverOptimizer,
                            PrivacySettings privacySettings, SecureAggregationSettings secureAggregationSettings,
                            ModelFamily model, Protocol protocol, CollabSettings collab) {
        this(rounds, clientsPerRound, innerSteps, innerLr, batchSize, metaLr, fedAvgEpochs, evalEvery, evalSteps,
                evalLr, threads, algorithms, serverOptimizer, privacySettings, secureAggregationSettings, model,
                protocol, collab, 0);
    }

    /** The MeLU model under the deployment protocol. */
    public SimulationConfig(int rounds, int clientsPerRound, int innerSteps, float innerLr, int batchSize,
                            double metaLr, int fedAvgEpochs, int evalEvery, List<Integer> evalSteps, float evalLr,
                            int threads, List<Algorithm> algorithms, ServerOptimizer serverOptimizer,
                            PrivacySettings privacySettings, SecureAggregationSettings secureAggregationSettings) {
        this(rounds, clientsPerRound, innerSteps, innerLr, batchSize, metaLr, fedAvgEpochs, evalEvery, evalSteps,
                evalLr, threads, algorithms, serverOptimizer, privacySettings, secureAggregationSettings,
                ModelFamily.MELU, Protocol.DEPLOYMENT, CollabSettings.DEFAULT);
    }

    /** Without secure aggregation. */
    public SimulationConfig(int rounds, int clientsPerRound, int innerSteps, float innerLr, int batchSize,
                            double metaLr, int fedAvgEpochs, int evalEvery, List<Integer> evalSteps, float evalLr,
                            int threads, List<Algorithm> algorithms, ServerOptimizer serverOptimizer,
                            PrivacySettings privacySettings) {
        this(rounds, clientsPerRound, innerSteps, innerLr, batchSize, metaLr, fedAvgEpochs, evalEvery, evalSteps,
                evalLr, threads, algorithms, serverOptimizer, privacySettings, null);
    }

    /** Without differential privacy. */
    public SimulationConfig(int rounds, int clientsPerRound, int innerSteps, float innerLr, int batchSize,
                            double metaLr, int fedAvgEpochs, int evalEvery, List<Integer> evalSteps, float evalLr,
                            int threads, List<Algorithm> algorithms, ServerOptimizer serverOptimizer) {
        this(rounds, clientsPerRound, innerSteps, innerLr, batchSize, metaLr, fedAvgEpochs, evalEvery, evalSteps,
                evalLr, threads, algorithms, serverOptimizer, null);
    }

    /**
     * What the coordinator asks each device for {@code algorithm}: {@code innerSteps} steps (FedAvg:
     * {@code fedAvgEpochs} epochs) at {@code innerLr} in batches of {@code batchSize}; FOMAML's and Meta-SGD's β
     * equals {@code innerLr}.
     */
    public LocalTraining training(FederatedAlgorithm algorithm) {
        LocalTraining.Builder b = LocalTraining.builder(algorithm).steps(innerSteps).learningRate(innerLr)
                .batchSize(batchSize);
        return (algorithm == FederatedAlgorithm.FEDAVG ? b.epochs(fedAvgEpochs) : b).build();
    }

    /** This configuration with {@code privacy} instead. */
    public SimulationConfig withPrivacy(Optional<PrivacySettings> privacy) {
        return new SimulationConfig(rounds, clientsPerRound, innerSteps, innerLr, batchSize, metaLr, fedAvgEpochs,
                evalEvery, evalSteps, evalLr, threads, algorithms, serverOptimizer, privacy.orElse(null),
                secureAggregationSettings, model, protocol, collab, annealRounds);
    }

    /** This configuration with {@code secureAggregation} instead. */
    public SimulationConfig withSecureAggregation(Optional<SecureAggregationSettings> secureAggregation) {
        return new SimulationConfig(rounds, clientsPerRound, innerSteps, innerLr, batchSize, metaLr, fedAvgEpochs,
                evalEvery, evalSteps, evalLr, threads, algorithms, serverOptimizer, privacySettings,
                secureAggregation.orElse(null), model, protocol, collab, annealRounds);
    }

    /** The secure aggregation settings, if FedReptile and FedAvg rounds are securely aggregated. */
    public Optional<SecureAggregationSettings> secureAggregation() {
        return Optional.ofNullable(secureAggregationSettings);
    }

    /** The server's ε schedule for {@code algorithm}: FedAvg averages the models (ε = 1); the others anneal. */
    public io.metafed.coordinator.aggregate.EpsilonSchedule epsilon(FederatedAlgorithm algorithm) {
        return algorithm == FederatedAlgorithm.FEDAVG ? new io.metafed.coordinator.aggregate.EpsilonSchedule.Constant(1.0)
                : io.metafed.coordinator.aggregate.EpsilonSchedule.annealed(metaLr, annealAfter(), annealRounds);
    }

    /** Rounds ε is held at {@code metaLr} before the last {@code annealRounds} anneal it. */
    public int annealAfter() {
        return Math.max(0, rounds - annealRounds);
    }

    /** The differential privacy settings, if the run is private. */
    public Optional<PrivacySettings> privacy() {
        return Optional.ofNullable(privacySettings);
    }

    /** Rounds at which the models are evaluated: every {@code evalEvery} rounds and after the last. */
    public boolean evaluatesAfter(int round) {
        return round == rounds || round % evalEvery == 0;
    }
}
