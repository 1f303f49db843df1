package io.metafed.simulation.spark;

import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.CoordinatorConfig;
import io.metafed.coordinator.aggregate.AggregationRules;
import io.metafed.coordinator.aggregate.EpsilonSchedule;
import io.metafed.coordinator.aggregate.Sgd;
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
import io.metafed.simulation.federation.ClientPool;
import io.metafed.simulation.federation.ClientSetup;
import io.metafed.simulation.federation.ExecutionEngine;
import io.metafed.simulation.federation.FederatedTraining;
import io.metafed.simulation.federation.WorkerRuntimes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figures of the Spark engine against the in-process one in the same JVM ({@code ./metafed bench-spark}): clients
 * adapted per second and round time by population and clients per round, the time to cache the population, and
 * what a virtual client costs an executor. The collaborative model with FedRecon (simulate's defaults: 5 steps at
 * 0.05, batch 128) on synthetic users with 5–30 ratings over 1,200 items.
 *
 * <p>Options: {@code --users 1000,100000 --clients 100,1000,10000 --rounds 3 --master local[2] --partitions 0
 * --engines in-process,spark --store-dir DIR}. Device stores (one small file per client, fsynced when written) go to
 * {@code --store-dir} for the in-process pool and to {@code java.io.tmpdir} on executors: put both on tmpfs
 * (/dev/shm) so that the figures measure adaptation, not the disk's fsync.
 */
public final class SparkBench {
    private SparkBench() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> o = options(args);
        List<Integer> populations = ints(o.getOrDefault("users", "1000,100000"));
        List<Integer> perRound = ints(o.getOrDefault("clients", "100,1000,10000"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "3"));
        List<String> engines = List.of(o.getOrDefault("engines", "in-process,spark").split(","));
        Path storeDir = Path.of(o.getOrDefault("store-dir", System.getProperty("java.io.tmpdir")));
        String master = o.getOrDefault("master", "local[2]");
        int partitions = Integer.parseInt(o.getOrDefault("partitions", "0"));
        System.out.printf(Locale.ROOT, "SparkBench: users %s, clients per round %s, %d timed rounds after 1 warm-up,"
                + " engines %s, master %s, %d cores, java.io.tmpdir %s, stores %s%n", populations, perRound, rounds,
                engines, master, Runtime.getRuntime().availableProcessors(), System.getProperty("java.io.tmpdir"),
                storeDir);
        System.out.println("| users | engine | clients/round | median round (ms) | clients adapted/s |"
                + " process CPU per client (ms) | setup (s) |");
        System.out.println("|---|---|---|---|---|---|---|");
        List<String> memory = new ArrayList<>();
        try (SparkEngine spark = engines.contains("spark")
                ? new SparkEngine(new ExecutionEngine.Settings(master, partitions)) : null) {
            for (int users : populations) {
                Dataset data = SyntheticDataGenerator.generate(new SyntheticConfig(1, users, 1200, 5, 30, 8, 0.8, 0.6,
                        0.6));
                ParamLayout layout = SimulationRunner.layout(ModelFamily.COLLAB, CollabSettings.DEFAULT, data);
                Map<Integer, List<Interaction>> byUser = new LinkedHashMap<>();
                for (Interaction in : data.interactions()) {
                    byUser.computeIfAbsent(in.user(), u -> new ArrayList<>()).add(in);
                }
                Path stores = Files.createTempDirectory(storeDir, "metafed-bench-");
                Map<String, ClientExecution> pools = new LinkedHashMap<>();
                Map<String, Double> setupSeconds = new LinkedHashMap<>();
                try (WorkerRuntimes workers = new WorkerRuntimes(layout, 2)) {
                    for (String engine : engines) {
                        String label = engine.equals("spark") ? "spark " + master : "in-process (2 threads)";
                        long start = System.nanoTime();
                        try {
                            ClientSetup setup = new ClientSetup(workers, layout, ModelFamily.COLLAB,
                                    CollabSettings.DEFAULT, data, byUser, Files.createDirectories(
                                    stores.resolve(engine)));
                            pools.put(label, engine.equals("spark") ? spark.clients(setup)
                                    : new ClientPool(workers, layout, data, byUser, setup.storeDir()));
                            setupSeconds.put(label, (System.nanoTime() - start) / 1e9);
                        } catch (RuntimeException e) {
                            // A population that cannot be set up (e.g. out of disk for the device stores) is reported.
                            System.out.printf(Locale.ROOT, "| %,d | %s | – | failed to start: %s | | | |%n", users,
                                    label, e.getMessage());
                        }
                    }
                    // Engines alternate per round size, so a neighbour's load on the shared cores hits both alike.
                    for (int c : perRound) {
                        if (c > users) {
                            continue;
                        }
                        for (Map.Entry<String, ClientExecution> e : pools.entrySet()) {
                            double[] ms = medianRoundMillis(e.getValue(), layout, data, c, rounds);
                            System.out.printf(Locale.ROOT, "| %,d | %s | %,d | %.0f | %.0f | %.2f | %.1f |%n", users,
                                    e.getKey(), c, ms[0], c / (ms[0] / 1000), ms[1] / c, setupSeconds.get(e.getKey()));
                        }
                    }
                    for (ClientExecution pool : pools.values()) {
                        if (pool instanceof SparkClients s) {
                            memory.add(String.format(Locale.ROOT, "| %,d | %,d | %.0f | %.0f | %d |", users,
                                    data.interactions().size(), (double) s.cachedBytes() / users,
                                    (double) s.storeBytes() / users, s.partitions()));
                        }
                        pool.close();
                    }
                } finally {
                    deleteRecursively(stores);
                }
            }
        }
        System.out.println();
        System.out.println("| users | ratings | cached client data (bytes/client) | device store (bytes/client) |"
                + " partitions |");
        System.out.println("|---|---|---|---|---|");
        memory.forEach(System.out::println);
    }

    /** Median wall-clock ms of the timed rounds and the median process CPU ms (all threads) of a round. */
    private static double[] medianRoundMillis(ClientExecution pool, ParamLayout layout, Dataset data, int perRound,
                                              int rounds) {
        LocalTraining training = LocalTraining.builder(FederatedAlgorithm.FEDRECON).steps(5).learningRate(0.05)
                .batchSize(128).build();
        CoordinatorConfig config = new CoordinatorConfig(RoundConfig.of(perRound, Math.max(1, (perRound + 1) / 2), 1),
                training, AggregationRules.of(FederatedAlgorithm.FEDRECON, new EpsilonSchedule.Constant(1.0),
                new Sgd()));
        float mean = (float) data.ratings().stream().mapToDouble(Interaction::rating).average().orElse(3.5);
        Coordinator coordinator = new Coordinator(layout, SimulationRunner.initialParams(layout, 1, mean), config,
                new InMemoryCheckpointStore(), Clock.systemUTC());
        FederatedTraining federation = new FederatedTraining(coordinator, pool, 1);
        double[] millis = new double[rounds + 1];
        double[] cpu = new double[rounds + 1];
        long[] last = {System.nanoTime(), cpuNanos()};
        int failed = federation.run(rounds + 1, (round, model, updates) -> {
            long now = System.nanoTime();
            long cpuNow = cpuNanos();
            millis[round - 1] = (now - last[0]) / 1e6;
            cpu[round - 1] = (cpuNow - last[1]) / 1e6;
            last[0] = now;
            last[1] = cpuNow;
        });
        if (failed > 0) {
            throw new IllegalStateException(failed + " rounds failed");
        }
        return new double[] {median(millis), median(cpu)};
    }

    /** The median of all but the first (warm-up: JIT, first use of the runtimes) of {@code values}. */
    private static double median(double[] values) {
        double[] timed = Arrays.copyOfRange(values, 1, values.length);
        Arrays.sort(timed);
        return timed[timed.length / 2];
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("options are --name value pairs, found '" + args[i] + "'");
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }

    private static List<Integer> ints(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
