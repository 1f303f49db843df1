package io.metafed.simulation.bench;

import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.evaluation.task.ColdStartSplit;
import io.metafed.evaluation.task.SplitConfig;
import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.data.Interaction;
import io.metafed.model.nn.ParamLayout;
import io.metafed.sdk.AdaptationConfig;
import io.metafed.sdk.GlobalModel;
import io.metafed.simulation.SimulationConfig;
import io.metafed.simulation.SimulationRunner;
import io.metafed.simulation.federation.ClientPool;
import io.metafed.simulation.federation.CollabBackend;
import io.metafed.simulation.federation.FederatedTraining;
import io.metafed.simulation.federation.WorkerRuntimes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-process simulator: FedReptile rounds (MeLU) and FedRecon rounds (the collaborative model) between a real
 * coordinator and SDK clients on worker threads, as {@code ./metafed simulate} runs them with each model's defaults
 * (without evaluation), the memory a virtual client costs, and the {@link Roofline} the MeLU rounds are measured
 * against.
 */
final class SimulationBench {
    static final String SECTION = "Simulation";
    /** Untimed federated rounds per warm-up sample of the settings. */
    static final int SIM_WARMUP_ROUNDS_PER_SAMPLE = 40;

    private final BenchFixture fixture;
    private final BenchSettings settings;
    private final SimulationConfig config;
    private final SimulationConfig collabConfig;
    private final Path storeDir;

    /**
     * @param config       MeLU's simulation settings (clients per round, inner steps, batch, ε); threads are ignored
     * @param collabConfig the collaborative model's (simulate's defaults for it)
     */
    SimulationBench(BenchFixture fixture, BenchSettings settings, SimulationConfig config,
            SimulationConfig collabConfig, Path storeDir) {
        this.fixture = fixture;
        this.settings = settings;
        this.config = config;
        this.collabConfig = collabConfig;
        this.storeDir = storeDir;
    }

    void run(BenchReport report) {
        Map<Integer, List<Interaction>> devices = devices(settings.simUsers());
        Timing rounds = rounds(fixture.layout(), fixture.theta(), config, devices, "sim", CollabBackend.JAVA);
        String where = String.format(java.util.Locale.ROOT, "%d clients/round, k=%d, batch %d, %d threads, %d devices",
                config.clientsPerRound(), config.innerSteps(), config.batchSize(), settings.threads(), devices.size());
        report.add(BenchRow.rate(SECTION, "rounds per minute (" + where + ")", rounds, 60, "rounds/min",
                "wall clock per round, FederatedTraining"));
        BenchRow adaptations = BenchRow.rate(SECTION, "client adaptations per second", rounds,
                config.clientsPerRound(), "adaptations/s", "clients per round / median round time");
        report.add(adaptations);
        Timing collab = rounds(fixture.collabLayout(), fixture.collabTheta(), collabConfig, devices, "sim-collab",
                CollabBackend.JAVA);
        String collabWhere = String.format(java.util.Locale.ROOT, "%d clients/round, k=%d, batch %d, %d threads, %d"
                + " devices", collabConfig.clientsPerRound(), collabConfig.innerSteps(), collabConfig.batchSize(),
                settings.threads(), devices.size());
        report.add(BenchRow.rate(SECTION, "collab FedRecon rounds per minute (" + collabWhere + ")", collab, 60,
                "rounds/min", "wall clock per round, FederatedTraining, plain-Java CollabReference per worker"));
        BenchRow collabAdaptations = BenchRow.rate(SECTION, "collab FedRecon client adaptations per second", collab,
                collabConfig.clientsPerRound(), "adaptations/s", "clients per round / median round time");
        report.add(collabAdaptations);
        // The same rounds with each worker adapting its clients together in one ONNX Runtime call. Its own prefix:
        // the row above is found by its name's start.
        CollabBackend batched = CollabBackend.batched(CollabBackend.DEFAULT_GROUP_SIZE);
        Timing collabBatched = rounds(fixture.collabLayout(), fixture.collabTheta(), collabConfig, devices,
                "sim-collab-batched", batched);
        String batchedPath = "batched ORT (groups of " + batched.groupSize() + ")";
        BenchRow batchedAdaptations = BenchRow.rate(SECTION, "collab FedRecon batched ORT client adaptations per second"
                + " (groups of " + batched.groupSize() + ")", collabBatched, collabConfig.clientsPerRound(),
                "adaptations/s", "as the row above, each worker's clients adapted together by OrtBatchedCollabRuntime");
        report.add(batchedAdaptations);
        memory(report, collabConfig);
        double computeRoof = new Roofline(fixture, settings, config).report(report, devices.values(),
                adaptations.value());
        Map<String, Double> measured = new LinkedHashMap<>();
        measured.put("plain-Java CollabReference per worker", collabAdaptations.value());
        measured.put(batchedPath + " per worker", batchedAdaptations.value());
        new CollabRoofline(fixture, settings, collabConfig).report(report, devices.values(), computeRoof, measured);
    }

    /**
     * Times {@code settings.simRounds()} rounds after the warm-up ones: Reptile's inner loop for MeLU, FedRecon
     * (users reconstructed) for the collaborative model, as the simulator runs them.
     */
    private Timing rounds(ParamLayout layout, float[] theta0, SimulationConfig simulation,
            Map<Integer, List<Interaction>> devices, String store, CollabBackend backend) {
        double[] roundNanos = new double[settings.simRounds()];
        try (WorkerRuntimes workers = new WorkerRuntimes(layout, settings.threads(), backend);
             ClientPool pool = new ClientPool(workers, layout, fixture.data(), devices, subdirectory(store))) {
            // The model's own algorithm, as simulate runs it: FedReptile for MeLU, FedRecon for the collab model.
            FederatedAlgorithm algorithm = FederatedAlgorithm.defaultFor(layout);
            Coordinator coordinator = new Coordinator(layout, theta0, SimulationRunner.coordinatorConfig(simulation,
                    simulation.training(algorithm), SimulationRunner.reptileRule(simulation), BenchFixture.SEED),
                    new InMemoryCheckpointStore(), Clock.systemUTC());
            FederatedTraining training = new FederatedTraining(coordinator, pool, BenchFixture.SEED);
            // Rounds, not samples: a collab round takes a few ms, so the warm-up samples' count of rounds ended
            // before the JIT had compiled the clients' loop, and the timed rounds measured the compiler (the median
            // of 20 rounds after 5 was half the rate of 500 rounds after 20). The batched ONNX Runtime path needs
            // longer still (a harness reached its steady rate after a few hundred calls): forty rounds per warm-up
            // sample, 200 in the full run, for every path alike.
            if (settings.warmups() > 0) {
                training.run(SIM_WARMUP_ROUNDS_PER_SAMPLE * settings.warmups(), (round, model, updates) -> { });
            }
            long[] last = {System.nanoTime()};
            training.run(settings.simRounds(), (round, model, updates) -> {
                long now = System.nanoTime();
                roundNanos[round - 1] = now - last[0];
                last[0] = now;
            });
        }
        return Timing.of(roundNanos);
    }

    /** The TRAIN users' devices of the simulator, the first {@code limit} of them (0: all). */
    private Map<Integer, List<Interaction>> devices(int limit) {
        Map<Integer, List<Interaction>> all = SimulationRunner.trainingRatings(
                ColdStartSplit.of(fixture.data(), SplitConfig.melu(BenchFixture.SEED)));
        Map<Integer, List<Interaction>> chosen = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<Interaction>> e : all.entrySet()) {
            if (limit > 0 && chosen.size() == limit) {
                break;
            }
            chosen.put(e.getKey(), e.getValue());
        }
        return chosen;
    }

    /** Retained heap per virtual client (SDK client and its store), fresh and after one adaptation, per model. */
    private void memory(BenchReport report, SimulationConfig collabConfig) {
        memory(report, "", "memory", fixture.layout(), fixture.theta(), config, "holds θ and φ");
        memory(report, "collab ", "memory-collab", fixture.collabLayout(), fixture.collabTheta(), collabConfig,
                "keeps its private z and a view of the shared θ");
    }

    private void memory(BenchReport report, String prefix, String store, ParamLayout layout, float[] theta,
                        SimulationConfig simulation, String holds) {
        // Not limited to the simulated users: the retained heap of a few clients is within the collector's noise.
        Map<Integer, List<Interaction>> devices = devices(settings.memoryClients());
        int n = devices.size();
        GlobalModel global = GlobalModel.of(0, layout, theta);
        try (WorkerRuntimes workers = new WorkerRuntimes(layout, 1)) {
            long before = HeapProbe.usedAfterGc();
            try (ClientPool pool = new ClientPool(workers, layout, fixture.data(), devices, subdirectory(store))) {
                long fresh = HeapProbe.usedAfterGc() - before;
                pool.map(pool.users(), (user, client) -> client.adapt(global, new AdaptationConfig(
                        simulation.innerSteps(), simulation.innerLr(), simulation.batchSize(), user)));
                long adapted = HeapProbe.usedAfterGc() - before;
                String method = "heap used after full GC with " + n + " clients minus without, / " + n;
                report.add(BenchRow.figure(SECTION, prefix + "memory per virtual client (ratings stored)",
                        fresh / 1024.0 / n, "KiB", method));
                report.add(BenchRow.figure(SECTION, prefix + "memory per virtual client (after one adaptation)",
                        adapted / 1024.0 / n, "KiB", method + "; " + holds));
            }
        }
    }

    private Path subdirectory(String name) {
        try {
            return Files.createDirectories(storeDir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("Unable to create the benchmark's store directory " + name, e);
        }
    }
}
