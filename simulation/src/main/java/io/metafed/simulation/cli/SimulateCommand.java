package io.metafed.simulation.cli;

import io.metafed.coordinator.aggregate.Adam;
import io.metafed.coordinator.aggregate.Momentum;
import io.metafed.coordinator.aggregate.ServerOptimizer;
import io.metafed.coordinator.aggregate.Sgd;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.LoadedData;
import io.metafed.model.task.ColdStartSplit;
import io.metafed.model.task.Partition;
import io.metafed.security.dp.PrivacyLoss;
import io.metafed.simulation.Algorithm;
import io.metafed.coordinator.aggregate.PrivacySettings;
import io.metafed.coordinator.server.PrivacyOptions;
import io.metafed.simulation.SecureAggregationSettings;
import io.metafed.simulation.SimulationConfig;
import io.metafed.simulation.SimulationRunner;
import io.metafed.simulation.eval.EvalPoint;
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

    @Option(names = {"-r", "--rounds"}, defaultValue = "300", description = "Federated rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = {"-c", "--clients"}, defaultValue = "16",
            description = "Clients sampled per round (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = {"-k", "--inner-steps"}, defaultValue = "5",
            description = "Local adaptation steps per round for FedReptile (default: ${DEFAULT-VALUE}).")
    int innerSteps;

    @Option(names = "--inner-lr", defaultValue = "0.05", description = "Local learning rate (default: ${DEFAULT-VALUE}).")
    float innerLr;

    @Option(names = {"-b", "--batch"}, defaultValue = "32", description = "Local minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--meta-lr", defaultValue = "1.0",
            description = "Reptile step size ε on the server (default: ${DEFAULT-VALUE}).")
    double metaLr;

    @Option(names = "--server-optimizer", defaultValue = "sgd",
            description = "Reptile's server optimizer on the meta-gradient: sgd, momentum or adam (default: ${DEFAULT-VALUE}).")
    String serverOptimizer;

    @Option(names = "--fedavg-epochs", defaultValue = "1",
            description = "Local epochs per round for FedAvg clients (default: ${DEFAULT-VALUE}).")
    int fedAvgEpochs;

    @Option(names = {"-E", "--eval-every"}, defaultValue = "50",
            description = "Evaluate every this many rounds, and at the end (default: ${DEFAULT-VALUE}).")
    int evalEvery;

    @Option(names = "--eval-steps", split = ",", defaultValue = "0,1,5",
            description = "Adaptation steps before scoring held-out queries (default: ${DEFAULT-VALUE}).")
    List<Integer> evalSteps;

    @Option(names = "--eval-lr", description = "Learning rate of evaluation adaptation (default: the inner lr).")
    Float evalLr;

    @Option(names = {"-S", "--seeds"}, split = ",", defaultValue = "1,2,3",
            description = "Run seeds: task split, initialization, sampling (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = {"-a", "--algorithms"}, split = ",", defaultValue = "FEDAVG,FEDREPTILE,LOCAL_ONLY,CENTRAL_REPTILE",
            description = "Algorithms to compare: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    List<Algorithm> algorithms;

    @Option(names = {"-t", "--threads"}, defaultValue = "2", description = "Worker threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = {"-o", "--out"}, defaultValue = "metafed-out",
            description = "Output directory for CSV, JSON and charts (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--checkpoints", paramLabel = "DIR",
            description = "Also write every federated model version as a weight file under DIR.")
    Path checkpoints;

    @Option(names = "--coordinator", paramLabel = "embedded|URL",
            description = "Run FedReptile over the network: 'embedded' starts a coordinator server on a loopback port "
                    + "with TLS; a URL (https://host:port) joins a running one. Uses the first seed.")
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

    @Option(names = "--secure-aggregation",
            description = "FedReptile and FedAvg: aggregate every round with secure aggregation (Bonawitz et al. 2017);"
                    + " the coordinator sees only the sum. With --dp-clip, clients clip and send weight 1.")
    boolean secureAggregation;

    @Option(names = "--secagg-clip", paramLabel = "C", defaultValue = "10.0",
            description = "Secure aggregation: clients clip updates to L2 norm C, which sets the fixed-point range "
                    + "(default: ${DEFAULT-VALUE}).")
    double secaggClip;

    @Option(names = "--secagg-dropout", paramLabel = "FRACTION", defaultValue = "0",
            description = "Secure aggregation: fraction of each round's clients that vanish after sharing keys, in "
                    + "[0, 0.5) (default: ${DEFAULT-VALUE}).")
    double secaggDropout;

    @Mixin
    PrivacyOptions dp = new PrivacyOptions();

    @Override
    public void run() {
        if (coordinator != null) {
            new NetworkMode(this).run();
            return;
        }
        long start = System.nanoTime();
        SimulationConfig config = config();
        data.validate();
        LoadedData loaded = data.loadWithProvenance();
        Dataset dataset = loaded.dataset();
        DataOptions.describe(loaded, System.out);
        System.out.printf("Config: %s%nSeeds: %s%n", config, seeds);
        Map<String, Map<String, Integer>> tasksPerSeed = new LinkedHashMap<>();
        List<EvalPoint> points = new ArrayList<>();
        Map<Long, Map<String, PrivacyLoss>> privacy = new LinkedHashMap<>();
        Map<Long, Map<String, Double>> norms = new LinkedHashMap<>();
        // Animated only on a terminal: redirected logs get a line per 10% instead of a \r per round.
        ProgressBar bar = new ProgressBar(System.err, System.console() != null);
        Path work = createTempDir();
        try {
            for (long seed : seeds) {
                bar.prefix("seed " + seed);
                ColdStartSplit split = data.coldStart(dataset, seed);
                bar.finish();
                System.out.println(data.describeSplit(split, seed));
                tasksPerSeed.put(String.valueOf(seed), DataOptions.taskCounts(split));
                SimulationRunner runner = new SimulationRunner(dataset, config, work, bar);
                if (checkpoints != null) {
                    runner.checkpointsIn(checkpoints);
                }
                points.addAll(runner.run(split));
                privacy.put(seed, runner.privacySpent());
                norms.put(seed, runner.medianUpdateNorm());
            }
        } finally {
            bar.finish();
            deleteRecursively(work);
        }
        System.out.println();
        System.out.print(ResultTable.render(points, rounds));
        System.out.println("(final round " + rounds + "; mean ± std over seeds; nDCG with linear gain unless marked)");
        System.out.println();
        System.out.println("Paired by seed (negative = FedReptile has the lower error):");
        int steps = evalSteps.stream().mapToInt(Integer::intValue).max().orElse(0);
        for (Partition p : Partition.evaluation()) {
            for (String line : List.of(
                    PairedComparison.describe(points, rounds, p, "FedReptile", steps, "FedAvg", 0),
                    PairedComparison.describe(points, rounds, p, "FedReptile", steps, "FedAvg", steps))) {
                if (!line.isEmpty()) {
                    System.out.println("  " + line);
                }
            }
        }
        config.privacy().ifPresent(p -> {
            System.out.println();
            System.out.printf("Privacy spent (user-level, δ = %s, clip %s, noise multiplier %s, %d clients per round):%n",
                    p.budget().delta(), p.clipNorm(), p.budget().noiseMultiplier(), clients);
            privacy.forEach((seed, spent) -> spent.forEach((model, loss) -> System.out.printf(
                    "  seed %d  %-16s ε = %.4g (best RDP order %s)%s%n", seed, model, loss.epsilon(), loss.order(),
                    norms.get(seed).containsKey(model)
                            ? String.format(", median raw update norm %.4g", norms.get(seed).get(model)) : "")));
        });
        writeOutputs(points, config, loaded, tasksPerSeed);
        System.out.printf("Results in %s (%.1f s)%n", out.toAbsolutePath(), (System.nanoTime() - start) / 1e9);
    }

    SimulationConfig config() {
        return new SimulationConfig(rounds, clients, innerSteps, innerLr, batch, metaLr, fedAvgEpochs, evalEvery,
                evalSteps, evalLr == null ? innerLr : evalLr, threads, algorithms, serverOptimizer(serverOptimizer),
                privacy().orElse(null), secureAggregation());
    }

    private SecureAggregationSettings secureAggregation() {
        if (!secureAggregation) {
            return null;
        }
        return new SecureAggregationSettings(secaggClip, secaggDropout);
    }

    private Optional<PrivacySettings> privacy() {
        return dp.settings();
    }

    static ServerOptimizer serverOptimizer(String name) {
        return switch (name) {
            case "sgd" -> new Sgd();
            case "momentum" -> new Momentum(0.9);
            case "adam" -> Adam.defaults();
            default -> throw new IllegalArgumentException("--server-optimizer must be sgd, momentum or adam, found '"
                    + name + "'");
        };
    }

    private void writeOutputs(List<EvalPoint> points, SimulationConfig config, LoadedData loaded,
                              Map<String, Map<String, Integer>> tasksPerSeed) {
        try {
            Files.createDirectories(out);
            ResultFiles.writeCsv(points, out.resolve("results.csv"));
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("data", DataOptions.provenance(loaded));
            Map<String, Object> split = new LinkedHashMap<>(data.splitSettings());
            split.put("tasksPerPartition", tasksPerSeed);
            settings.put("split", split);
            // JSON has no Infinity (a clip norm may be), so the privacy settings go in as text.
            settings.put("config", config.withPrivacy(Optional.empty()));
            config.privacy().ifPresent(p -> settings.put("privacy", Map.of("clipNorm", Double.toString(p.clipNorm()),
                    "noiseMultiplier", Double.toString(p.budget().noiseMultiplier()),
                    "delta", Double.toString(p.budget().delta()),
                    "targetEpsilon", Double.toString(p.budget().targetEpsilon()),
                    "policy", p.budget().policy().name())));
            settings.put("seeds", seeds);
            ResultFiles.writeJson(points, settings, out.resolve("results.json"));
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
