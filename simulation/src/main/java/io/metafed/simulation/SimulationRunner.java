package io.metafed.simulation;

import io.metafed.coordinator.ClientHyperparameters;
import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.CoordinatorConfig;
import io.metafed.coordinator.aggregate.AggregationRule;
import io.metafed.coordinator.aggregate.EpsilonSchedule;
import io.metafed.coordinator.aggregate.FedAvg;
import io.metafed.coordinator.aggregate.Reptile;
import io.metafed.coordinator.model.CheckpointStore;
import io.metafed.coordinator.model.FileCheckpointStore;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.coordinator.round.RoundConfig;
import io.metafed.model.baseline.BiasBaseline;
import io.metafed.model.baseline.GlobalMeanBaseline;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.features.BatchEncoder;
import io.metafed.model.features.FeatureEncoder;
import io.metafed.model.features.FeatureSchema;
import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ParamInitializer;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.task.ColdStartSplit;
import io.metafed.model.task.Partition;
import io.metafed.model.task.SplitConfig;
import io.metafed.model.task.UserTask;
import io.metafed.model.train.InnerLoop;
import io.metafed.simulation.eval.ColdStartEvaluation;
import io.metafed.simulation.eval.EvalPoint;
import io.metafed.simulation.federation.ClientPool;
import io.metafed.simulation.federation.FederatedTraining;
import io.metafed.simulation.federation.WorkerRuntimes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every configured algorithm for one seed on one dataset and returns all evaluation points. Everything
 * random derives from the seed (task split, initialization, client sampling, minibatches), so a run replays bit
 * for bit.
 */
public final class SimulationRunner {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SimulationRunner.class);
    /** Progress callback: what is running and how far it is. */
    @FunctionalInterface
    public interface Progress {
        void update(String phase, int done, int total);
    }

    public static final String BIAS = "Bias μ+b_u+b_i";
    public static final String GLOBAL_MEAN = "Global mean";

    private final Dataset data;
    private final SimulationConfig config;
    private final Path workDir;
    private final Progress progress;
    private Path checkpointDir;

    public SimulationRunner(Dataset data, SimulationConfig config, Path workDir, Progress progress) {
        this.data = data;
        this.config = config;
        this.workDir = workDir;
        this.progress = progress;
    }

    /** Keeps every federated model version as a weight file under {@code dir/seed-N/<algorithm>/}. */
    public SimulationRunner checkpointsIn(Path dir) {
        this.checkpointDir = dir;
        return this;
    }

    public List<EvalPoint> run(SplitConfig splitConfig) {
        long seed = splitConfig.seed();
        ColdStartSplit split = ColdStartSplit.of(data, splitConfig);
        ParamLayout layout = ParamLayout.of(ModelConfig.melu(FeatureSchema.standard(data)));
        List<Interaction> trainingSide = split.trainingSide();
        float[] theta0 = ParamInitializer.initialize(layout, seed,
                (float) GlobalMeanBaseline.fit(trainingSide).mean());
        Map<Integer, List<Interaction>> trainRatings = new LinkedHashMap<>();
        for (UserTask t : split.tasks(Partition.TRAIN)) {
            List<Interaction> all = new ArrayList<>(t.support());
            all.addAll(t.query());
            trainRatings.put(t.user(), all);
        }
        List<EvalPoint> points = new ArrayList<>();
        Path dir = createDir(workDir.resolve("seed-" + seed));
        try (WorkerRuntimes workers = new WorkerRuntimes(layout, config.threads());
             ColdStartEvaluation evaluation = new ColdStartEvaluation(workers, layout, data, split, dir.resolve("eval"));
             ClientPool pool = new ClientPool(workers, layout, data, trainRatings, createDir(dir.resolve("train")))) {
            points.addAll(evaluation.evaluateBaseline(GLOBAL_MEAN, seed, config.rounds(),
                    GlobalMeanBaseline.fit(trainingSide)));
            points.addAll(evaluation.evaluateBaseline(BIAS, seed, config.rounds(), BiasBaseline.fit(trainingSide)));
            for (Algorithm algorithm : config.algorithms()) {
                switch (algorithm) {
                    case FEDAVG, FEDREPTILE -> points.addAll(federated(algorithm, layout, theta0, pool, evaluation, seed));
                    case LOCAL_ONLY -> points.addAll(evaluation.evaluate(algorithm.label(), seed, config.rounds(),
                            theta0, config.evalSteps(), config.evalLr()));
                    case CENTRAL_REPTILE -> points.addAll(centralReptile(layout, theta0, split, workers, evaluation,
                            seed));
                }
            }
        }
        return points;
    }

    private List<EvalPoint> federated(Algorithm algorithm, ParamLayout layout, float[] theta0, ClientPool pool,
                                      ColdStartEvaluation evaluation, long seed) {
        AggregationRule rule = algorithm == Algorithm.FEDAVG ? new FedAvg() : reptileRule();
        FederatedTraining.LocalSteps steps = algorithm == Algorithm.FEDAVG
                ? FederatedTraining.LocalSteps.epochs(config.fedAvgEpochs()) : FederatedTraining.LocalSteps.reptile();
        CoordinatorConfig coordinatorConfig = new CoordinatorConfig(
                RoundConfig.of(config.clientsPerRound(), minUpdates(), seed),
                new ClientHyperparameters(config.innerSteps(), config.innerLr(), config.batchSize()), rule);
        Coordinator coordinator = new Coordinator(layout, theta0, coordinatorConfig,
                checkpointStore(layout, seed, algorithm), Clock.systemUTC());
        List<EvalPoint> points = new ArrayList<>();
        int failed = new FederatedTraining(coordinator, pool, steps, seed).run(config.rounds(), (round, model, updates) -> {
            progress.update(algorithm.label(), round, config.rounds());
            if (config.evaluatesAfter(round)) {
                points.addAll(evaluation.evaluate(algorithm.label(), seed, round, model.params(), config.evalSteps(),
                        config.evalLr()));
            }
        });
        if (failed > 0) {
            LOG.warn("{} (seed {}): {} of {} rounds failed; see the warnings above", algorithm.label(), seed, failed,
                    config.rounds());
        }
        return points;
    }

    private List<EvalPoint> centralReptile(ParamLayout layout, float[] theta0, ColdStartSplit split,
                                           WorkerRuntimes workers, ColdStartEvaluation evaluation, long seed) {
        // Runs on this thread with worker 0's runtime, which is idle between the pool's parallel jobs.
        CentralReptileReference reptile = new CentralReptileReference(new InnerLoop(workers.runtime(0)),
                new BatchEncoder(new FeatureEncoder(layout.config().schema()), data), reptileRule(),
                split.tasks(Partition.TRAIN), theta0, seed);
        InnerLoop.Config inner = new InnerLoop.Config(config.innerSteps(), config.innerLr(), config.batchSize(), 0);
        List<EvalPoint> points = new ArrayList<>();
        for (int round = 1; round <= config.rounds(); round++) {
            reptile.step(config.clientsPerRound(), inner);
            progress.update(Algorithm.CENTRAL_REPTILE.label(), round, config.rounds());
            if (config.evaluatesAfter(round)) {
                points.addAll(evaluation.evaluate(Algorithm.CENTRAL_REPTILE.label(), seed, round, reptile.theta(),
                        config.evalSteps(), config.evalLr()));
            }
        }
        return points;
    }

    /** A round needs half its clients: the rest may drop out (diverged adaptation) without failing it. */
    private int minUpdates() {
        return Math.max(1, (config.clientsPerRound() + 1) / 2);
    }

    /** FedReptile's and the central reference's meta-update: ε schedule and server optimizer from the config. */
    private AggregationRule reptileRule() {
        return new Reptile(new EpsilonSchedule.Constant(config.metaLr()), config.serverOptimizer());
    }

    private CheckpointStore checkpointStore(ParamLayout layout, long seed, Algorithm algorithm) {
        if (checkpointDir == null) {
            return new InMemoryCheckpointStore();
        }
        try {
            return new FileCheckpointStore(checkpointDir.resolve("seed-" + seed)
                    .resolve(algorithm.name().toLowerCase(java.util.Locale.ROOT)), layout);
        } catch (IOException e) {
            throw new UncheckedIOException("Unable to create checkpoint directory under " + checkpointDir, e);
        }
    }

    private static Path createDir(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Unable to create simulation directory " + dir, e);
        }
    }
}
