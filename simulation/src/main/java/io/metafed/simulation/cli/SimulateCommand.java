package io.metafed.simulation.cli;

import io.metafed.coordinator.aggregate.AggregationRules;
import io.metafed.coordinator.aggregate.ServerOptimizer;
import io.metafed.evaluation.data.LoadedData;
import io.metafed.evaluation.task.ColdStartSplit;
import io.metafed.evaluation.task.Partition;
import io.metafed.model.data.Dataset;
import io.metafed.security.dp.PrivacyLoss;
import io.metafed.simulation.Algorithm;
import io.metafed.simulation.CollabSettings;
import io.metafed.simulation.ModelFamily;
import io.metafed.simulation.Validation;
import io.metafed.simulation.Protocol;
import io.metafed.coordinator.aggregate.PrivacySettings;
import io.metafed.coordinator.server.PrivacyOptions;
import io.metafed.coordinator.server.secagg.SecAggMode;
import io.metafed.model.nn.CollabConfig;
import io.metafed.simulation.SecureAggregationSettings;
import io.metafed.simulation.SimulationConfig;
import io.metafed.simulation.SimulationRunner;
import io.metafed.simulation.eval.EvalPoint;
import io.metafed.simulation.federation.CollabBackend;
import io.metafed.simulation.federation.DeviceLatency;
import io.metafed.simulation.federation.ExecutionEngine;
import io.metafed.simulation.federation.PipelineStats;
import io.metafed.simulation.federation.RoundDeadline;
import io.metafed.simulation.report.LearningCurveChart;
import io.metafed.simulation.report.PairedComparison;
import io.metafed.simulation.report.ProgressBar;
import io.metafed.simulation.report.ResultFiles;
import io.metafed.simulation.report.ResultTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Federated meta-learning in process: a real coordinator and one real SDK client per training user, compared
 * with FedAvg, local-only, central Reptile and the baselines on held-out cold-start tasks.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run a federated simulation and compare FedReptile with FedAvg, local-only, central Reptile "
                + "and the baselines in every cold-start partition.")
public final class SimulateCommand implements Runnable {
    @Mixin
    DataOptions data;

    @Option(names = "--model", paramLabel = "collab|melu",
            description = "Model: 'collab' (μ + b_i + b_u + ⟨p_u, q_i⟩ with an item table, a content tower and private "
                    + "user parameters; the default) or 'melu' (the MeLU-style MLP over features). With --coordinator "
                    + "URL: the model the coordinator announces, unless given.")
    String model;

    @Option(names = "--protocol", paramLabel = "deployment|melu", defaultValue = "deployment",
            description = "What trains the model before evaluation, and the matching bias baseline: 'deployment' "
                    + "(support sets too, as deployed) or 'melu' (TRAIN ratings only) (default: ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--dim",
            description = "Collab: width of the user and item factors (default: " + CollabConfig.DEFAULT_DIM + ").")
    Integer dim;

    @Option(names = "--ridge", description = "Collab: ridge strength λ of the on-device user reconstruction (default: 5).")
    Double ridge;

    @Option(names = "--item-reg", description = "Collab: L2 penalty on the item rows a client trains (default: 0.02).")
    Double itemReg;

    @Option(names = "--item-rows", paramLabel = "B", defaultValue = "0", description = "Collab: hash the catalogue into"
            + " B item-table rows, bounding every update at (B x (dim+1) + content) floats whatever the catalogue's"
            + " size; 0 (default): one row per item.")
    int itemRows;

    @Option(names = "--validation",
            description = "Evaluate on a validation split instead: the TRAIN ratings alone, split again into pseudo-new "
                    + "users and items (the newest tenth), so hyperparameters are chosen without any evaluation query.")
    boolean validation;

    @Option(names = {"-r", "--rounds"}, description = "Federated rounds (default: 1000 for collab, 300 for melu).")
    Integer rounds;

    @Option(names = {"-c", "--clients"}, description = "Clients sampled per round (default: 32 for collab, 16 for melu).")
    Integer clients;

    @Option(names = {"-k", "--inner-steps"}, defaultValue = "5",
            description = "Local adaptation steps per round for FedReptile (default: ${DEFAULT-VALUE}).")
    int innerSteps;

    @Option(names = "--inner-lr", defaultValue = "0.05", description = "Local learning rate (default: ${DEFAULT-VALUE}).")
    float innerLr;

    @Option(names = {"-b", "--batch"}, description = "Local minibatch size (default: 128 for collab, 32 for melu).")
    Integer batch;

    @Option(names = "--meta-lr", defaultValue = "1.0",
            description = "Reptile step size ε on the server (default: ${DEFAULT-VALUE}).")
    double metaLr;

    @Option(names = "--anneal-rounds", paramLabel = "N", description = "Anneal the server's ε (every algorithm but"
            + " FedAvg) linearly from --meta-lr to 5%% of it over the last N rounds, Reptile's annealing; 0: constant ε"
            + " (default: half the rounds for collab, 0 for melu).")
    Integer annealRounds;

    @Option(names = "--server-optimizer", defaultValue = "sgd",
            description = "Reptile's server optimizer on the meta-gradient: sgd, momentum or adam (default: ${DEFAULT-VALUE}).")
    String serverOptimizer;

    @Option(names = "--fedavg-epochs",
            description = "Local epochs per round for FedAvg clients (default: 5 for collab, as many steps as FedRecon "
                    + "takes; 1 for melu).")
    Integer fedAvgEpochs;

    @Option(names = {"-E", "--eval-every"},
            description = "Evaluate every this many rounds, and at the end (default: 250 for collab, 50 for melu).")
    Integer evalEvery;

    @Option(names = "--eval-steps", split = ",", defaultValue = "0,1,5",
            description = "Adaptation steps before scoring held-out queries (default: ${DEFAULT-VALUE}).")
    List<Integer> evalSteps;

    @Option(names = "--eval-lr", description = "Learning rate of evaluation adaptation (default: the inner lr).")
    Float evalLr;

    @Option(names = {"-S", "--seeds"}, split = ",", defaultValue = "1,2,3",
            description = "Run seeds: task split, initialization, sampling (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = {"-a", "--algorithms"}, split = ",",
            description = "Algorithms to compare: ${COMPLETION-CANDIDATES} (default: FEDAVG,FEDRECON for collab; "
                    + "FEDAVG,FEDREPTILE,LOCAL_ONLY,CENTRAL_REPTILE for melu).")
    List<Algorithm> algorithms;

    @Option(names = {"-t", "--threads"}, defaultValue = "2", description = "Worker threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = {"-o", "--out"}, defaultValue = "metafed-out",
            description = "Output directory for CSV, JSON and charts (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--checkpoints", paramLabel = "DIR",
            description = "Also write every federated model version as a weight file under DIR.")
    Path checkpoints;

    @Option(names = "--resume",
            description = "With --checkpoints: continue each algorithm from its newest checkpoint (a run stopped"
                    + " part-way) and run only the remaining rounds; those are the rounds the uninterrupted run would"
                    + " have had (same sampling and client seeds). Evaluation covers the remaining rounds.")
    boolean resume;

    @Option(names = "--coordinator", paramLabel = "embedded|URL",
            description = "Train over the network (FedRecon for collab, FedReptile for melu): 'embedded' starts a "
                    + "coordinator server on a loopback port with TLS, serving this run's model; a URL "
                    + "(https://host:port) joins a running one, whose model must be this dataset's. Uses the first "
                    + "seed.")
    String coordinator;

    @Option(names = "--trust-cert", paramLabel = "PEM",
            description = "With --coordinator URL: the server certificate to trust (e.g. its self-signed dev cert).")
    Path trustCert;

    @Option(names = "--model-key", paramLabel = "PEM",
            description = "With --coordinator URL: the coordinator's model-signing public key (from its data dir); "
                    + "with --enrollment-token, devices enroll authenticated and verify every model.")
    Path modelKey;

    @Option(names = "--enrollment-token", paramLabel = "TOKEN",
            description = "With --coordinator URL: an operator-issued enrollment token (needs --model-key).")
    String enrollmentToken;

    @Option(names = "--client-threads", defaultValue = "16",
            description = "With --coordinator: threads (each with its own ONNX Runtime) running devices (default: ${DEFAULT-VALUE}).")
    int clientThreads;

    @Option(names = "--devices", defaultValue = "train",
            description = "With --coordinator: 'train' (users of the TRAIN partition) or 'all' (every user, without its "
                    + "held-out query ratings) (default: ${DEFAULT-VALUE}).")
    String devices;

    @Option(names = "--device-keys-dir", paramLabel = "DIR",
            description = "With --coordinator: where devices keep their Ed25519 identity keys, so a later run against"
                    + " the same coordinator re-enrolls the same ids (default: <out>/device-keys for a URL, a"
                    + " temporary directory for embedded).")
    Path deviceKeysDir;

    @Option(names = "--secure-aggregation",
            description = "FedReptile and FedAvg: aggregate every round with secure aggregation (Bonawitz et al. 2017);"
                    + " the coordinator sees only the sum. With --dp-clip, clients clip and send weight 1. Always on"
                    + " with --coordinator unless --plain-updates.")
    boolean secureAggregation;

    @Option(names = "--plain-updates",
            description = "With --coordinator embedded: serve plain rounds, in which the coordinator sees every"
                    + " device's update (secure aggregation is the default over the network).")
    boolean plainUpdates;

    @Option(names = "--secagg-clip", paramLabel = "C", defaultValue = "10.0",
            description = "Secure aggregation: clients clip updates to L2 norm C, which sets the fixed-point range "
                    + "(default: ${DEFAULT-VALUE}).")
    double secaggClip;

    @Option(names = "--secagg-dropout", paramLabel = "FRACTION", defaultValue = "0",
            description = "Secure aggregation: fraction of each round's clients that vanish after sharing keys, in "
                    + "[0, 0.5) (default: ${DEFAULT-VALUE}).")
    double secaggDropout;

    @Option(names = "--engine", paramLabel = "in-process|spark", defaultValue = ExecutionEngine.IN_PROCESS,
            description = "What runs the devices (training clients and evaluation devices): 'in-process' (worker"
                    + " threads of this JVM; the default) or 'spark' (Spark executors, from the simulation-spark"
                    + " module: devices partitioned with their data, θ broadcast, updates summed by treeAggregate;"
                    + " plain rounds only, no --secure-aggregation or --dp-clip).")
    String engine;

    @Option(names = "--collab-runtime", paramLabel = "java|batched-ort", defaultValue = "java",
            description = "How in-process workers adapt collaborative-model clients: 'java' (one by one with the"
                    + " plain-Java reference; the default) or 'batched-ort' (each worker adapts its clients of a round"
                    + " together, --collab-group at a time, in one ONNX Runtime call; the same updates up to float"
                    + " rounding, see docs/PERFORMANCE.md).")
    String collabRuntime;

    @Option(names = "--collab-group", paramLabel = "G", defaultValue = "" + CollabBackend.DEFAULT_GROUP_SIZE,
            description = "With --collab-runtime batched-ort: clients per batched call (default: ${DEFAULT-VALUE}).")
    int collabGroup;

    @Option(names = "--master", paramLabel = "URL",
            description = "With --engine spark: the Spark master, e.g. local[2] or spark://host:7077 (default: the"
                    + " spark.master property, else local[2]).")
    String master;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "With --engine spark: partitions of the client data (default 0: twice the default "
                    + "parallelism).")
    int partitions;

    @Option(names = "--secagg-mode", paramLabel = "MODE", defaultValue = "auto",
            description = "Secure aggregation protocol: bonawitz, secagg-plus (neighbours in a sparse graph, Bell et"
                    + " al. 2020) or auto (secagg-plus from 192 clients per round; default: ${DEFAULT-VALUE}).")
    String secaggMode;

    @Option(names = "--over-select", paramLabel = "F", defaultValue = "1",
            description = "The coordinator selects ceil(clients x F) clients per round (F >= 1) and counts the first"
                    + " --clients updates to arrive, so spares replace stragglers and drop-outs (default: ${DEFAULT-VALUE}:"
                    + " every selected client counts).")
    double overSelect;

    @Option(names = "--device-latency", paramLabel = "MEDIAN,SIGMA[,FRACTION,SLOWDOWN]",
            description = "Devices report after a virtual delay: log-normal with MEDIAN seconds and σ SIGMA, and"
                    + " FRACTION of each round's devices SLOWDOWN times slower (e.g. 10,0.5,0.1,10); seeded by (seed,"
                    + " round, user), no wall-clock time spent. Rounds take the earliest --clients updates (by"
                    + " --round-deadline if given); the others are discarded without being computed. Default: none"
                    + " (every selected device reports at once).")
    String deviceLatency;

    @Option(names = "--round-deadline", paramLabel = "SECONDS",
            description = "With --device-latency: updates arriving later than SECONDS (virtual) after a round opens"
                    + " are discarded; a round left with fewer than half of --clients fails, θ unchanged (default:"
                    + " no deadline).")
    Double roundDeadline;

    @Mixin
    PrivacyOptions dp = new PrivacyOptions();

    @Override
    public void run() {
        boolean inProcess = engine.equalsIgnoreCase(ExecutionEngine.IN_PROCESS);
        if (!inProcess && coordinator != null) {
            throw new IllegalArgumentException("--engine " + engine + " runs the in-process simulation; --coordinator"
                    + " runs devices against a server: give one of them");
        }
        if (resume && checkpoints == null) {
            throw new IllegalArgumentException("--resume continues from --checkpoints DIR: give both");
        }
        if (inProcess && (master != null || partitions != 0)) {
            throw new IllegalArgumentException("--master and --partitions need --engine spark");
        }
        if (coordinator != null) {
            if (deviceLatency != null || roundDeadline != null || overSelect != 1) {
                throw new IllegalArgumentException("--over-select, --device-latency and --round-deadline shape the"
                        + " in-process rounds; with --coordinator the server's own schedule decides (CoordinatorMain"
                        + " --round-seconds and --over-selection)");
            }
            new NetworkMode(this).run();
            return;
        }
        long start = System.nanoTime();
        CollabBackend collabBackend = CollabBackend.parse(collabRuntime, collabGroup);
        SimulationConfig config = config();
        Optional<RoundDeadline> deadline = deadline();
        if (!(overSelect >= 1) || Double.isInfinite(overSelect)) {
            throw new IllegalArgumentException("--over-select must be >= 1 and finite, found " + overSelect);
        }
        data.validate();
        if (!inProcess && (config.privacy().isPresent() || config.secureAggregation().isPresent())) {
            throw new IllegalArgumentException("--engine " + engine + " sums client updates where the clients run,"
                    + " so it cannot run " + (config.privacy().isPresent() ? "--dp-clip" : "--secure-aggregation")
                    + "; use --engine " + ExecutionEngine.IN_PROCESS);
        }
        LoadedData loaded = data.loadWithProvenance();
        Dataset dataset = loaded.dataset();
        DataOptions.describe(loaded, System.out);
        System.out.printf("Model: %s, protocol: %s%nConfig: %s%nSeeds: %s%n", config.model().label(),
                config.protocol().label(), config, seeds);
        Map<String, Map<String, Integer>> tasksPerSeed = new LinkedHashMap<>();
        List<EvalPoint> points = new ArrayList<>();
        Map<Long, Map<String, PrivacyLoss>> privacy = new LinkedHashMap<>();
        Map<Long, Map<String, SimulationRunner.UpdateNorms>> norms = new LinkedHashMap<>();
        Map<Long, Map<String, PipelineStats>> pipeline = new LinkedHashMap<>();
        // Animated only on a terminal: redirected logs get a line per 10% instead of a \r per round.
        ProgressBar bar = new ProgressBar(System.err, System.console() != null);
        Path work = createTempDir();
        try (ExecutionEngine clients = ExecutionEngine.open(engine, new ExecutionEngine.Settings(master, partitions))) {
            if (!inProcess) {
                System.out.printf("Engine: %s (training and evaluation devices; coordinator in this JVM)%n",
                        clients.name());
            }
            for (long seed : seeds) {
                bar.prefix("seed " + seed);
                ColdStartSplit split = data.coldStart(dataset, seed);
                Dataset runData = dataset;
                if (validation) {
                    Validation v = Validation.of(dataset, split);
                    runData = v.data();
                    split = ColdStartSplit.of(runData, new io.metafed.evaluation.task.SplitConfig(seed, v.newItemYear(), 0.2, 13, 100, 10));
                    System.out.printf("Validation (seed %d): %d TRAIN ratings; pseudo-new items from %d on%n", seed,
                            runData.interactions().size(), v.newItemYear());
                }
                bar.finish();
                System.out.println(data.describeSplit(split, seed));
                tasksPerSeed.put(String.valueOf(seed), DataOptions.taskCounts(split));
                SimulationRunner runner = new SimulationRunner(runData, config, work, bar).on(clients)
                        .pipeline(overSelect, deadline).collabRuntime(collabBackend);
                if (checkpoints != null) {
                    runner.checkpointsIn(checkpoints);
                }
                if (resume) {
                    runner.resuming();
                }
                points.addAll(runner.run(split));
                privacy.put(seed, runner.privacySpent());
                norms.put(seed, runner.updateNorms());
                pipeline.put(seed, runner.pipelineStats());
            }
        } finally {
            bar.finish();
            deleteRecursively(work);
        }
        System.out.println();
        int rounds = config.rounds();
        System.out.print(ResultTable.render(points, rounds));
        System.out.println("(final round " + rounds + "; mean ± std over seeds; nDCG with linear gain unless marked)");
        System.out.println();
        boolean collab = config.model() == ModelFamily.COLLAB;
        String main = collab ? "FedRecon" : "FedReptile";
        System.out.println("Paired by seed (negative = " + main + " has the lower error):");
        int steps = collab ? EvalPoint.RECONSTRUCTED : evalSteps.stream().mapToInt(Integer::intValue).max().orElse(0);
        for (Partition p : Partition.evaluation()) {
            for (String line : List.of(
                    PairedComparison.describe(points, rounds, p, main, steps, SimulationRunner.BIAS, 0),
                    PairedComparison.describe(points, rounds, p, main, steps, "FedAvg", 0),
                    PairedComparison.describe(points, rounds, p, main, steps, "FedAvg", steps))) {
                if (!line.isEmpty()) {
                    System.out.println("  " + line);
                }
            }
        }
        config.privacy().ifPresent(p -> {
            System.out.println();
            System.out.printf("Privacy spent (user-level, δ = %s, clip %s, noise multiplier %s, %d clients per round):%n",
                    p.budget().delta(), p.clipNorm(), p.budget().noiseMultiplier(), config.clientsPerRound());
            privacy.forEach((seed, spent) -> spent.forEach((model, loss) -> System.out.printf(
                    "  seed %d  %-16s ε = %.4g (best RDP order %s)%s%n", seed, model, loss.epsilon(), loss.order(),
                    norms.get(seed).containsKey(model)
                            ? describe(norms.get(seed).get(model)) : "")));
        });
        if (overSelect != 1 || deadline.isPresent()) {
            System.out.println();
            System.out.printf(java.util.Locale.ROOT, "Round pipeline (%d clients per round, over-selection %s%s):%n",
                    config.clientsPerRound(), overSelect, deadline.map(d -> ", " + d).orElse(""));
            pipeline.forEach((seed, perModel) -> perModel.forEach((model, stats) -> System.out.printf(
                    "  seed %d  %-16s %s%n", seed, model, stats)));
        }
        writeOutputs(points, config, loaded, tasksPerSeed, pipeline);
        System.out.printf("Results in %s (%.1f s)%n", out.toAbsolutePath(), (System.nanoTime() - start) / 1e9);
    }

    private static String describe(SimulationRunner.UpdateNorms n) {
        return String.format(java.util.Locale.ROOT, ", median raw update norm %.4g (90th percentile %.4g, max %.4g,"
                + " %d updates)", n.median(), n.p90(), n.max(), n.updates());
    }

    SimulationConfig config() {
        ModelFamily family = modelFamily();
        boolean collab = family == ModelFamily.COLLAB;
        return new SimulationConfig(or(rounds, collab ? 1000 : 300), clients(), innerSteps, innerLr,
                or(batch, collab ? 128 : 32), metaLr, or(fedAvgEpochs, collab ? 5 : 1), or(evalEvery, collab ? 250 : 50),
                evalSteps, evalLr == null ? innerLr : evalLr, threads, algorithms != null ? algorithms : collab
                        ? List.of(Algorithm.FEDAVG, Algorithm.FEDRECON)
                        : List.of(Algorithm.FEDAVG, Algorithm.FEDREPTILE, Algorithm.LOCAL_ONLY, Algorithm.CENTRAL_REPTILE),
                serverOptimizer(serverOptimizer), privacy().orElse(null), secureAggregation(), family,
                protocol(protocol), new CollabSettings(dim != null ? dim : CollabSettings.DEFAULT.dim(),
                        ridge != null ? ridge : CollabSettings.DEFAULT.lambda(),
                        itemReg != null ? itemReg : CollabSettings.DEFAULT.itemReg(), itemRows),
                // Collab: anneal over the last half of the run, chosen on the validation split against constant ε
                // and annealing over the whole run (docs/RESULTS.md); the MeLU tables were measured with constant ε.
                or(annealRounds, collab ? or(rounds, 1000) / 2 : 0));
    }

    /** The federated rounds this run trains for. */
    int rounds() {
        return config().rounds();
    }

    int clients() {
        return or(clients, modelFamily() == ModelFamily.COLLAB ? 32 : 16);
    }

    ModelFamily modelFamily() {
        if (model == null) {
            return ModelFamily.COLLAB;
        }
        return switch (model.toLowerCase(java.util.Locale.ROOT)) {
            case "collab" -> ModelFamily.COLLAB;
            case "melu" -> ModelFamily.MELU;
            default -> throw new IllegalArgumentException("--model must be collab or melu, found '" + model + "'");
        };
    }

    static Protocol protocol(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "deployment" -> Protocol.DEPLOYMENT;
            case "melu" -> Protocol.MELU;
            default -> throw new IllegalArgumentException("--protocol must be deployment or melu, found '" + name
                    + "'");
        };
    }

    private static int or(Integer value, int fallback) {
        return value != null ? value : fallback;
    }

    private SecureAggregationSettings secureAggregation() {
        if (!secureAggregation) {
            return null;
        }
        return new SecureAggregationSettings(secaggClip, secaggDropout, SecAggMode.parse(secaggMode));
    }

    /** The networked run's configuration: securely aggregated unless {@code --plain-updates}. */
    SimulationConfig networkConfig() {
        if (plainUpdates && secureAggregation) {
            throw new IllegalArgumentException("--plain-updates and --secure-aggregation contradict each other");
        }
        if (plainUpdates && secaggDropout > 0) {
            throw new IllegalArgumentException("--secagg-dropout needs secure aggregation; drop --plain-updates");
        }
        SimulationConfig base = config();
        return plainUpdates ? base : base.withSecureAggregation(Optional.of(new SecureAggregationSettings(secaggClip,
                secaggDropout, SecAggMode.parse(secaggMode))));
    }

    /** The straggler model of --device-latency and --round-deadline, if any. */
    Optional<RoundDeadline> deadline() {
        if (deviceLatency == null) {
            if (roundDeadline != null) {
                throw new IllegalArgumentException("--round-deadline needs --device-latency (when devices report)");
            }
            return Optional.empty();
        }
        DeviceLatency latency = DeviceLatency.LogNormal.parse(deviceLatency);
        try {
            return Optional.of(roundDeadline == null ? RoundDeadline.none(latency)
                    : new RoundDeadline(latency, roundDeadline));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage().replace(" (virtual seconds)", "")
                    .replace("round deadline", "round-deadline"), e);
        }
    }

    private Optional<PrivacySettings> privacy() {
        return dp.settings();
    }

    static ServerOptimizer serverOptimizer(String name) {
        try {
            return AggregationRules.optimizer(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage().replaceFirst("^server optimizer",
                    "server-optimizer"), e);
        }
    }

    private void writeOutputs(List<EvalPoint> points, SimulationConfig config, LoadedData loaded,
                              Map<String, Map<String, Integer>> tasksPerSeed,
                              Map<Long, Map<String, PipelineStats>> pipeline) {
        try {
            Files.createDirectories(out);
            ResultFiles.writeCsv(points, pipeline, out.resolve("results.csv"));
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("data", DataOptions.provenance(loaded));
            Map<String, Object> split = new LinkedHashMap<>(data.splitSettings());
            split.put("tasksPerPartition", tasksPerSeed);
            settings.put("split", split);
            // JSON has no Infinity (a clip norm may be), so the privacy settings go in as text.
            settings.put("config", config.withPrivacy(Optional.empty()));
            // LinkedHashMaps, not Map.of: results.json keeps one key order from run to run.
            config.privacy().ifPresent(p -> {
                Map<String, String> privacy = new LinkedHashMap<>();
                privacy.put("clipNorm", Double.toString(p.clipNorm()));
                privacy.put("noiseMultiplier", Double.toString(p.budget().noiseMultiplier()));
                privacy.put("delta", Double.toString(p.budget().delta()));
                privacy.put("targetEpsilon", Double.toString(p.budget().targetEpsilon()));
                privacy.put("policy", p.budget().policy().name());
                settings.put("privacy", privacy);
            });
            settings.put("seeds", seeds);
            Map<String, String> pipelineSettings = new LinkedHashMap<>();
            pipelineSettings.put("overSelection", Double.toString(overSelect));
            pipelineSettings.put("deviceLatency", deviceLatency == null ? "none" : deviceLatency);
            pipelineSettings.put("roundDeadline", roundDeadline == null ? "none" : Double.toString(roundDeadline));
            settings.put("pipeline", pipelineSettings);
            // Per seed and model: selected, in time, stragglers and surplus discarded, adapted, used, dropped.
            Map<String, Object> rounds = new LinkedHashMap<>();
            pipeline.forEach((seed, perModel) -> {
                if (!perModel.isEmpty()) {
                    rounds.put(String.valueOf(seed), perModel);
                }
            });
            ResultFiles.writeJson(points, settings, rounds, out.resolve("results.json"));
            int steps = evalSteps.stream().mapToInt(Integer::intValue).max().orElse(0);
            for (Partition p : Partition.evaluation()) {
                LearningCurveChart.write(points, p, steps, out.resolve("curve-" + p.name().toLowerCase(java.util.Locale.ROOT)
                        + ".png"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Unable to write results to " + out, e);
        }
    }

    static Path createTempDir() {
        try {
            return Files.createTempDirectory("metafed-sim");
        } catch (IOException e) {
            throw new UncheckedIOException("Unable to create a temporary directory for client stores", e);
        }
    }

    static void deleteRecursively(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("metafed: could not delete temporary client stores in " + dir + ": " + e.getMessage());
        }
    }
}
