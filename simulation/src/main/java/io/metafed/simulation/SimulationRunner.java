package io.metafed.simulation;

import io.metafed.coordinator.aggregate.AggregationRules;
import io.metafed.coordinator.aggregate.Sgd;
import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.algorithm.LocalTraining;
import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.CoordinatorConfig;
import io.metafed.coordinator.aggregate.AggregationRule;
import io.metafed.coordinator.aggregate.Reptile;
import io.metafed.coordinator.model.CheckpointStore;
import io.metafed.coordinator.model.FileCheckpointStore;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.coordinator.round.RoundConfig;
import io.metafed.evaluation.baseline.BiasBaseline;
import io.metafed.evaluation.baseline.GlobalMeanBaseline;
import io.metafed.evaluation.task.ColdStartSplit;
import io.metafed.evaluation.task.Partition;
import io.metafed.evaluation.task.SplitConfig;
import io.metafed.evaluation.task.UserTask;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.features.BatchEncoder;
import io.metafed.model.features.FeatureEncoder;
import io.metafed.model.features.FeatureSchema;
import io.metafed.model.features.CollabEncoder;
import io.metafed.model.nn.CollabInitializer;
import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ParamInitializer;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.train.InnerLoop;
import io.metafed.security.dp.PrivacyLedger;
import io.metafed.security.dp.PrivacyLoss;
import io.metafed.simulation.eval.ColdStartEvaluation;
import io.metafed.simulation.eval.EvalPoint;
import io.metafed.simulation.federation.ClientExecution;
import io.metafed.simulation.federation.CollabBackend;
import io.metafed.simulation.federation.ClientSetup;
import io.metafed.simulation.federation.ExecutionEngine;
import io.metafed.simulation.federation.FederatedTraining;
import io.metafed.simulation.federation.PipelineStats;
import io.metafed.simulation.federation.RoundDeadline;
import io.metafed.simulation.federation.SecureRounds;
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
import java.util.Optional;

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
    private boolean resume;
    private ExecutionEngine engine = ExecutionEngine.inProcess();
    private CollabBackend collabBackend = CollabBackend.JAVA;
    private double overSelection = 1.0;
    private Optional<RoundDeadline> deadline = Optional.empty();
    private final Map<String, PipelineStats> pipelineStats = new LinkedHashMap<>();
    private final Map<String, PrivacyLoss> privacySpent = new LinkedHashMap<>();
    private final Map<String, UpdateNorms> updateNorms = new LinkedHashMap<>();

    /**
     * Quantiles of the clients' raw (unclipped) update L2 norms over a run: the median is the usual starting point
     * for a DP clip norm (McMahan et al. 2018); the 90th percentile and the maximum say how often a secure-aggregation
     * clip norm would bind.
     */
    public record UpdateNorms(double median, double p90, double max, int updates) {
        static UpdateNorms of(List<Double> norms) {
            List<Double> sorted = new ArrayList<>(norms);
            sorted.sort(null);
            int n = sorted.size();
            return new UpdateNorms(sorted.get(n / 2), sorted.get(Math.min(n - 1, (int) Math.ceil(0.9 * n) - 1)),
                    sorted.get(n - 1), n);
        }
    }

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

    /**
     * How the in-process workers adapt collaborative-model clients (default {@link CollabBackend#JAVA}: one by
     * one with the plain-Java reference); ignored for MeLU layouts.
     */
    public SimulationRunner collabRuntime(CollabBackend backend) {
        this.collabBackend = java.util.Objects.requireNonNull(backend, "backend");
        return this;
    }

    /**
     * Runs the federated algorithms' training clients and the evaluation devices on {@code engine} (default: in
     * process); the coordinator, the baselines and the central reference stay in this JVM. The caller keeps and
     * closes the engine.
     *
     * @throws IllegalArgumentException if the engine sums updates where the clients run and this run needs each
     *                                  client's own update (secure aggregation, differential privacy)
     */
    public SimulationRunner on(ExecutionEngine engine) {
        if (engine.sumsUpdates() && (config.privacy().isPresent() || config.secureAggregation().isPresent())) {
            throw new IllegalArgumentException("--engine " + engine.name() + " sums client updates where the clients"
                    + " run, so it cannot run " + (config.privacy().isPresent() ? "differentially private rounds"
                    + " (each update is clipped on its own)" : "secure aggregation (each client encodes its own"
                    + " update)") + "; use --engine " + ExecutionEngine.IN_PROCESS);
        }
        this.engine = java.util.Objects.requireNonNull(engine, "engine");
        return this;
    }

    /**
     * Continues each federated algorithm from the newest version in its {@link #checkpointsIn} directory (a run
     * stopped part-way, e.g. by a driver crash): the coordinator resumes there (θ, round ids, server optimizer state)
     * and only the remaining rounds run. Sampling and client seeds follow the round id, so the resumed rounds are
     * the uninterrupted run's; evaluation covers the remaining rounds (and the last one, when none remain).
     */
    public SimulationRunner resuming() {
        if (checkpointDir == null) {
            throw new IllegalArgumentException("resuming needs a checkpoint directory (--checkpoints DIR)");
        }
        this.resume = true;
        return this;
    }

    /**
     * Rounds as in production: the coordinator selects ⌈clientsPerRound · {@code overSelection}⌉ clients, and with
     * a {@code deadline} each round takes the updates that arrive by it in virtual time, at most clientsPerRound,
     * earliest first ({@link FederatedTraining}). The defaults (1, none) run every selected client.
     */
    public SimulationRunner pipeline(double overSelection, Optional<RoundDeadline> deadline) {
        if (!(overSelection >= 1) || Double.isInfinite(overSelection)) {
            throw new IllegalArgumentException("over-selection must be >= 1 and finite, found " + overSelection);
        }
        this.overSelection = overSelection;
        this.deadline = java.util.Objects.requireNonNull(deadline, "deadline");
        return this;
    }

    /** What each federated algorithm's rounds did with their selected clients in the latest {@link #run}. */
    public Map<String, PipelineStats> pipelineStats() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pipelineStats));
    }

    /** (ε, δ) each differentially private algorithm spent in the latest {@link #run}; empty without privacy. */
    public Map<String, PrivacyLoss> privacySpent() {
        return Map.copyOf(privacySpent);
    }

    /**
     * Median L2 norm of the clients' raw (unclipped) updates per federated algorithm in the latest {@link #run}
     * with privacy: the usual starting point for the clip norm C (McMahan et al. 2018). Empty without privacy.
     */
    public Map<String, Double> medianUpdateNorm() {
        Map<String, Double> medians = new LinkedHashMap<>();
        updateNorms.forEach((k, v) -> medians.put(k, v.median()));
        return medians;
    }

    /** {@link UpdateNorms} per federated algorithm in the latest {@link #run} with privacy; empty without. */
    public Map<String, UpdateNorms> updateNorms() {
        return Map.copyOf(updateNorms);
    }

    public List<EvalPoint> run(SplitConfig splitConfig) {
        return run(ColdStartSplit.of(data, splitConfig));
    }

    /** Runs on a given split (e.g. a published one); its config's seed is the run seed. */
    public List<EvalPoint> run(ColdStartSplit split) {
        privacySpent.clear();
        updateNorms.clear();
        pipelineStats.clear();
        long seed = split.config().seed();
        boolean deployment = config.protocol() == Protocol.DEPLOYMENT;
        // What trains θ: TRAIN ratings only (MeLU), or also every support set (deployment); never a query set.
        List<Interaction> trainingSide = deployment ? split.trainingSide() : trainRatingsOnly(split);
        ParamLayout layout = layout(config.model(), config.collab(), data);
        float mean = (float) GlobalMeanBaseline.fit(trainingSide).mean();
        float[] theta0 = initialParams(layout, seed, mean);
        Map<Integer, List<Interaction>> devices = deployment ? byUser(trainingSide) : trainingRatings(split);
        List<Integer> evalSteps = evalSteps(config);
        List<EvalPoint> points = new ArrayList<>();
        Path dir = createDir(workDir.resolve("seed-" + seed));
        try (WorkerRuntimes workers = new WorkerRuntimes(layout, config.threads(), collabBackend);
             ColdStartEvaluation evaluation = new ColdStartEvaluation(layout, data, split, dir.resolve("eval"),
                     deployment ? devices : null, devicesOn(workers, layout));
             ClientExecution pool = engine.clients(new ClientSetup(workers, layout, config.model(), config.collab(),
                     data, devices, createDir(dir.resolve("train"))))) {
            points.addAll(evaluation.evaluateBaseline(GLOBAL_MEAN, seed, config.rounds(),
                    GlobalMeanBaseline.fit(trainingSide)));
            BiasBaseline bias = BiasBaseline.fit(trainingSide, data.scale());
            points.addAll(deployment ? evaluation.evaluateBaseline(BIAS, seed, config.rounds(), bias)
                    : evaluation.evaluateBaseline(BIAS, seed, config.rounds(),
                            p -> bias.withUsersFrom(supports(split, p), BiasBaseline.Config.DEFAULT)));
            for (Algorithm algorithm : config.algorithms()) {
                switch (algorithm) {
                    case FEDAVG, FEDREPTILE, FOMAML, FEDRECON -> points.addAll(federated(algorithm, layout, theta0,
                            pool, evaluation, seed, evalSteps));
                    case META_SGD -> points.addAll(metaSgd(layout, theta0, workers, split, devices, dir, seed,
                            evalSteps));
                    case LOCAL_ONLY -> points.addAll(evaluation.evaluate(algorithm.label(), seed, config.rounds(),
                            theta0, evalSteps, config.evalLr()));
                    case CENTRAL_REPTILE -> points.addAll(centralReptile(layout, theta0, split, workers, evaluation,
                            seed));
                }
            }
        }
        return points;
    }

    /**
     * Meta-SGD trains θ with its inner learning rates α appended (α₀ = the inner learning rate everywhere), so its
     * devices and evaluation devices hold a layout of their own.
     */
    private List<EvalPoint> metaSgd(ParamLayout model, float[] theta0, WorkerRuntimes workers, ColdStartSplit split,
                                    Map<Integer, List<Interaction>> devices, Path dir, long seed,
                                    List<Integer> evalSteps) {
        ParamLayout layout = Algorithm.META_SGD.layoutFor(model);
        float[] start = ParamInitializer.withInnerRates(theta0, layout, config.innerLr());
        Path own = createDir(dir.resolve("meta-sgd"));
        boolean deployment = config.protocol() == Protocol.DEPLOYMENT;
        try (ColdStartEvaluation evaluation = new ColdStartEvaluation(layout, data, split, own.resolve("eval"),
                deployment ? devices : null, devicesOn(workers, layout));
             ClientExecution pool = engine.clients(new ClientSetup(workers, layout, config.model(), config.collab(),
                     data, devices, createDir(own.resolve("train"))))) {
            return federated(Algorithm.META_SGD, layout, start, pool, evaluation, seed, evalSteps);
        }
    }

    /** Evaluation devices on this run's engine, like the training clients. */
    private ColdStartEvaluation.DeviceFactory devicesOn(WorkerRuntimes workers, ParamLayout layout) {
        return (ratings, dir) -> engine.clients(new ClientSetup(workers, layout, config.model(), config.collab(), data,
                ratings, dir));
    }

    /** The parameter layout of {@code model} for {@code data}: the collaborative model's catalogue is every item. */
    public static ParamLayout layout(ModelFamily model, CollabSettings collab, Dataset data) {
        if (model == ModelFamily.MELU) {
            return ParamLayout.of(ModelConfig.melu(FeatureSchema.standard(data)));
        }
        int[] items = data.items().keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        // The content tower reads the item fields the dataset has: genres, year buckets fitted to its catalogue,
        // categorical item attributes. A catalogue with none of them gets the legacy row (unknown year, constant).
        FeatureSchema content;
        try {
            content = FeatureSchema.of(data).itemFields();
        } catch (IllegalArgumentException noSideInformation) {
            content = null; // the MLP needs side information; the item table does not
        }
        return ParamLayout.of(content == null ? collab.config(items, CollabEncoder.contentWidth(data.genres().size()))
                : collab.config(items, content));
    }

    /** θ₀ of {@code layout}: the family's seeded initialization, predicting {@code mean} before any training. */
    public static float[] initialParams(ParamLayout layout, long seed, float mean) {
        return layout.spec() instanceof io.metafed.model.nn.CollabConfig
                ? CollabInitializer.initialize(layout, seed, mean) : ParamInitializer.initialize(layout, seed, mean);
    }

    /**
     * The adaptation steps a model is evaluated after: the collaborative model at the global θ (0) and with the
     * user reconstructed on the device's ratings; MeLU after the configured gradient steps.
     */
    public static List<Integer> evalSteps(SimulationConfig config) {
        return config.model() == ModelFamily.COLLAB ? List.of(0, EvalPoint.RECONSTRUCTED) : config.evalSteps();
    }

    private static List<Interaction> trainRatingsOnly(ColdStartSplit split) {
        List<Interaction> all = new ArrayList<>();
        trainingRatings(split).values().forEach(all::addAll);
        return all;
    }

    private static Map<Integer, List<Interaction>> byUser(List<Interaction> ratings) {
        Map<Integer, List<Interaction>> out = new java.util.TreeMap<>();
        for (Interaction in : ratings) {
            out.computeIfAbsent(in.user(), u -> new ArrayList<>()).add(in);
        }
        return out;
    }

    /** The support ratings of {@code partition}'s tasks: what its users' devices hold at evaluation (MeLU protocol). */
    public static List<Interaction> supports(ColdStartSplit split, Partition partition) {
        List<Interaction> all = new ArrayList<>();
        for (UserTask t : split.tasks(partition)) {
            all.addAll(t.support());
        }
        return all;
    }

    /** Every TRAIN-partition user's ratings (support and query): what that user's virtual device holds. */
    public static Map<Integer, List<Interaction>> trainingRatings(ColdStartSplit split) {
        Map<Integer, List<Interaction>> ratings = new LinkedHashMap<>();
        for (UserTask t : split.tasks(Partition.TRAIN)) {
            List<Interaction> all = new ArrayList<>(t.support());
            all.addAll(t.query());
            ratings.put(t.user(), all);
        }
        return ratings;
    }

    private List<EvalPoint> federated(Algorithm algorithm, ParamLayout layout, float[] theta0, ClientExecution pool,
                                      ColdStartEvaluation evaluation, long seed, List<Integer> evalSteps) {
        FederatedAlgorithm federated = algorithm.federated();
        AggregationRule rule = privateIfConfigured(AggregationRules.of(federated, config.epsilon(federated),
                federated == FederatedAlgorithm.FEDAVG ? new Sgd() : config.serverOptimizer()));
        CoordinatorConfig coordinatorConfig = coordinatorConfig(config, config.training(federated), rule, seed,
                overSelection);
        CheckpointStore store = checkpointStore(layout, seed, algorithm);
        Coordinator coordinator = resume ? resume(layout, theta0, coordinatorConfig, store)
                : new Coordinator(layout, theta0, coordinatorConfig, store, Clock.systemUTC());
        // Round ids are 0-based and one per opened round: the next id is the number of rounds already run.
        int done = coordinator.nextRoundId();
        if (done > 0) {
            LOG.info("{} (seed {}): resuming after {} of {} rounds from model version {}", algorithm.label(), seed,
                    done, config.rounds(), coordinator.currentModel().version());
        }
        List<EvalPoint> points = new ArrayList<>();
        if (done >= config.rounds()) {
            points.addAll(evaluation.evaluate(algorithm.label(), federated, seed, config.rounds(),
                    coordinator.currentModel().vector(), evalSteps, config.evalLr()));
            return points;
        }
        List<Double> norms = new ArrayList<>();
        Optional<SecureRounds> secure = config.secureAggregation().map(sa -> secureRounds(sa, pool, seed));
        FederatedTraining training = new FederatedTraining(coordinator, pool, seed, secure, deadline);
        int failed = training.run(done + 1, config.rounds(),
                (round, model, updates) -> {
            progress.update(algorithm.label(), round, config.rounds());
            if (config.privacy().isPresent()) {
                updates.forEach(u -> norms.add(u.deltaVector().norm()));
            }
            if (config.evaluatesAfter(round)) {
                points.addAll(evaluation.evaluate(algorithm.label(), federated, seed, round, model.vector(),
                        evalSteps, config.evalLr()));
            }
        });
        coordinator.privacySpent().ifPresent(loss -> privacySpent.put(algorithm.label(), loss));
        pipelineStats.put(algorithm.label(), training.stats());
        if (!norms.isEmpty()) {
            updateNorms.put(algorithm.label(), UpdateNorms.of(norms));
        }
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
                new BatchEncoder(new FeatureEncoder(layout.config().schema()), data),
                privateIfConfigured(reptileRule()), split.tasks(Partition.TRAIN), theta0, seed);
        InnerLoop.Config inner = new InnerLoop.Config(config.innerSteps(), config.innerLr(), config.batchSize(), 0);
        // With DP the reference accounts like the coordinator: one release per step, q = meta-batch / tasks.
        PrivacyLedger ledger = config.privacy().map(p -> p.budget().newLedger()).orElse(null);
        double q = Math.min(1.0, (double) config.clientsPerRound() / split.tasks(Partition.TRAIN).size());
        List<EvalPoint> points = new ArrayList<>();
        for (int round = 1; round <= config.rounds(); round++) {
            if (ledger == null) {
                reptile.step(config.clientsPerRound(), inner);
            } else if (ledger.state() != PrivacyLedger.State.EXHAUSTED && canSpend(ledger, q)) {
                reptile.step(config.clientsPerRound(), inner);
                ledger.spend(q);
            }
            progress.update(Algorithm.CENTRAL_REPTILE.label(), round, config.rounds());
            if (config.evaluatesAfter(round)) {
                points.addAll(evaluation.evaluate(Algorithm.CENTRAL_REPTILE.label(), seed, round, reptile.theta(),
                        config.evalSteps(), config.evalLr()));
            }
        }
        if (ledger != null) {
            privacySpent.put(Algorithm.CENTRAL_REPTILE.label(), ledger.spent());
        }
        return points;
    }

    /** False, after logging once, when policy STOP refuses the next step: θ then stays where it is. */
    private static boolean canSpend(PrivacyLedger ledger, double q) {
        try {
            ledger.checkCanSpend(q);
            return true;
        } catch (IllegalStateException e) {
            LOG.warn("Central Reptile stopped: {}", e.getMessage());
            return false;
        }
    }

    /** {@code rule} wrapped in DP-FedAvg when the config asks for privacy. */
    /**
     * The encoder's range needs the largest weight any client may send: its rating count bounds its example count.
     * Under DP clients send weight 1 and clip to the tighter of the two norms (clipping below the DP norm keeps the
     * sensitivity bound).
     */
    private SecureRounds secureRounds(SecureAggregationSettings sa, ClientExecution pool, long seed) {
        return config.privacy()
                .map(p -> SecureRounds.unitWeights(Math.min(p.clipNorm(), sa.clipNorm()), config.clientsPerRound(),
                        sa.dropoutFraction(), seed))
                .orElseGet(() -> new SecureRounds(sa.clipNorm(), pool.maxRatingCount(), config.clientsPerRound(),
                        sa.dropoutFraction(), seed))
                .withMode(sa.mode());
    }

    private AggregationRule privateIfConfigured(AggregationRule rule) {
        return config.privacy().<AggregationRule>map(p -> p.wrap(rule, config.clientsPerRound())).orElse(rule);
    }

    /**
     * The coordinator of a federated run: {@code rule} over rounds of the configured size, of which a round needs
     * half (the rest may drop out, e.g. by a diverged adaptation, without failing it), and the inner-loop settings.
     */
    public static CoordinatorConfig coordinatorConfig(SimulationConfig config, LocalTraining training,
                                                      AggregationRule rule, long seed) {
        return coordinatorConfig(config, training, rule, seed, 1.0);
    }

    /** {@link #coordinatorConfig} selecting ⌈clientsPerRound · {@code overSelection}⌉ clients per round. */
    public static CoordinatorConfig coordinatorConfig(SimulationConfig config, LocalTraining training,
                                                      AggregationRule rule, long seed, double overSelection) {
        int minUpdates = Math.max(1, (config.clientsPerRound() + 1) / 2);
        return new CoordinatorConfig(new RoundConfig(config.clientsPerRound(), minUpdates, overSelection, seed),
                training, rule);
    }

    /** FedReptile's and the central reference's meta-update: ε schedule and server optimizer from the config. */
    public static AggregationRule reptileRule(SimulationConfig config) {
        return new Reptile(config.epsilon(FederatedAlgorithm.FEDREPTILE), config.serverOptimizer());
    }

    private AggregationRule reptileRule() {
        return reptileRule(config);
    }

    private static Coordinator resume(ParamLayout layout, float[] theta0, CoordinatorConfig config,
                                      CheckpointStore store) {
        try {
            return Coordinator.resume(layout, theta0, config, store, Clock.systemUTC(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Unable to read the checkpoints to resume from", e);
        }
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
