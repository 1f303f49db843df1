package io.metafed.simulation.cli;

import io.metafed.simulation.bench.BenchFixture;

import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.evaluation.task.ColdStartSplit;
import io.metafed.evaluation.task.SplitConfig;
import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.data.Interaction;
import io.metafed.model.nn.ParamLayout;
import io.metafed.simulation.SimulationConfig;
import io.metafed.simulation.SimulationRunner;
import io.metafed.sdk.MetafedClient;
import io.metafed.simulation.federation.ClientExecution;
import io.metafed.simulation.federation.ForwardingExecution;
import io.metafed.simulation.federation.ClientPool;
import io.metafed.simulation.federation.FederatedTraining;
import io.metafed.simulation.federation.WorkerRuntimes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import picocli.CommandLine;

/**
 * Wall-clock rounds of the in-process driver under the shared client queue and under the fixed client-to-worker
 * binding it replaced, alternating in one JVM so both see the same load. Not a test (no assertion): run it with
 * <pre>
 *   java -cp simulation/target/test-classes:simulation/target/classes:$(cat simulation/target/classpath.txt) \
 *       io.metafed.simulation.cli.SchedulingBench [collab|melu] [pairs] [rounds] [threads]
 * </pre>
 * Each sample: 50 untimed rounds, then {@code rounds} timed ones; reported: median and mean round time and
 * clients per round / mean round time. Same settings as {@code ./metafed bench}'s simulation rows (simulate's
 * defaults, every TRAIN user of the default synthetic data).
 * <p>
 * Wall time on a shared machine mostly measures the neighbours' load, so the last sample also records each
 * client's thread CPU time and replays the rounds' schedules on it: the fixed binding's round needs the CPU of
 * the busiest home worker, the shared queue's the makespan of handing the clients in order to the first free
 * worker. Their ratio is the barrier's cost on the workers' side, whatever the load.
 */
public final class SchedulingBench {
    private SchedulingBench() {
    }

    public static void main(String[] args) throws Exception {
        boolean collab = args.length < 1 || args[0].equals("collab");
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        BenchFixture fixture = BenchFixture.standard();
        SimulationConfig config = collab ? CommandLine.populateCommand(new SimulateCommand()).config()
                : CommandLine.populateCommand(new SimulateCommand(), "--model", "melu").config();
        ParamLayout layout = collab ? fixture.collabLayout() : fixture.layout();
        float[] theta0 = collab ? fixture.collabTheta() : fixture.theta();
        Map<Integer, List<Interaction>> devices = SimulationRunner.trainingRatings(
                ColdStartSplit.of(fixture.data(), SplitConfig.melu(BenchFixture.SEED)));
        Path stores = Files.createTempDirectory("scheduling-bench");
        System.out.printf(Locale.ROOT, "%s, %d clients/round, k=%d, batch %d, %d threads, %d devices, %d timed rounds%n",
                collab ? "collab FedRecon" : "MeLU FedReptile", config.clientsPerRound(), config.innerSteps(),
                config.batchSize(), threads, devices.size(), rounds);
        try (WorkerRuntimes workers = new WorkerRuntimes(layout, threads)) {
            for (int p = 0; p < pairs; p++) {
                for (ClientPool.Scheduling s : ClientPool.Scheduling.values()) {
                    Path dir = Files.createDirectories(stores.resolve(s + "-" + p));
                    try (ClientPool pool = new ClientPool(workers, layout, fixture.data(), fixture.data().scale(),
                            devices, dir, ClientPool.DEFAULT_MAX_OPEN, s)) {
                        Recorder recorder = p == pairs - 1 && s == ClientPool.Scheduling.SHARED_QUEUE
                                ? new Recorder(pool, devices.keySet().stream().toList(), threads) : null;
                        double[] ms = rounds(layout, theta0, config, recorder != null ? recorder : pool, rounds);
                        if (recorder != null) {
                            recorder.report(config.clientsPerRound());
                        }
                        double[] sorted = ms.clone();
                        Arrays.sort(sorted);
                        double mean = Arrays.stream(ms).average().orElseThrow();
                        System.out.printf(Locale.ROOT, "  %-13s median %.3f ms, mean %.3f ms per round: %.0f"
                                + " adaptations/s (mean), %.0f (median)%n", s, sorted[ms.length / 2], mean,
                                config.clientsPerRound() / mean * 1e3, config.clientsPerRound() / sorted[ms.length / 2]
                                        * 1e3);
                    }
                }
            }
        }
    }

    /** The pool, recording each timed round's clients with their thread CPU time. */
    private static final class Recorder extends ForwardingExecution {
        private final ClientPool pool;
        private final Map<Integer, Integer> home = new java.util.HashMap<>();
        private final int workers;
        private final java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        private final List<long[]> rounds = new java.util.ArrayList<>(); // per round: user, cpu ns, user, cpu ns…

        Recorder(ClientPool pool, List<Integer> users, int workers) {
            super(pool);
            this.pool = pool;
            this.workers = workers;
            for (int i = 0; i < users.size(); i++) {
                home.put(users.get(i), i % workers); // ClientPool's round-robin home over the users' order
            }
        }

        @Override
        public <R> void forEachInOrder(List<Integer> users, BiFunction<Integer, MetafedClient, R> job,
                                       Consumer<? super R> consumer) {
            long[] record = new long[2 * users.size()];
            Map<Integer, Integer> index = new java.util.HashMap<>();
            for (int i = 0; i < users.size(); i++) {
                index.put(users.get(i), i);
            }
            pool.forEachInOrder(users, (user, client) -> {
                long start = cpu.getCurrentThreadCpuTime();
                R r = job.apply(user, client);
                int i = index.get(user);
                record[2 * i] = user;
                record[2 * i + 1] = cpu.getCurrentThreadCpuTime() - start;
                return r;
            }, consumer);
            rounds.add(record);
        }

        /** Mean over the timed rounds of the busiest home worker's CPU and of the in-order list schedule's makespan. */
        void report(int clients) {
            double fixed = 0;
            double shared = 0;
            double total = 0;
            List<long[]> timed = rounds.subList(50, rounds.size());
            for (long[] r : timed) {
                long[] byHome = new long[workers];
                long[] free = new long[workers];
                for (int i = 0; i < r.length; i += 2) {
                    byHome[home.get((int) r[i])] += r[i + 1];
                    int first = 0;
                    for (int w = 1; w < workers; w++) {
                        first = free[w] < free[first] ? w : first;
                    }
                    free[first] += r[i + 1];
                    total += r[i + 1];
                }
                fixed += Arrays.stream(byHome).max().orElseThrow();
                shared += Arrays.stream(free).max().orElseThrow();
            }
            int n = timed.size();
            System.out.printf(Locale.ROOT, "  replayed on the clients' CPU (%d rounds): fixed binding %.3f ms, shared"
                            + " queue %.3f ms, perfect split %.3f ms per round of workers' CPU; fixed / shared %.3f%n",
                    n, fixed / n / 1e6, shared / n / 1e6, total / n / workers / 1e6, fixed / shared);
        }
    }

    private static double[] rounds(ParamLayout layout, float[] theta0, SimulationConfig simulation,
                                   ClientExecution pool, int count) {
        FederatedAlgorithm algorithm = FederatedAlgorithm.defaultFor(layout);
        Coordinator coordinator = new Coordinator(layout, theta0, SimulationRunner.coordinatorConfig(simulation,
                simulation.training(algorithm), SimulationRunner.reptileRule(simulation), BenchFixture.SEED),
                new InMemoryCheckpointStore(), Clock.systemUTC());
        FederatedTraining training = new FederatedTraining(coordinator, pool, BenchFixture.SEED);
        training.run(50, (round, model, updates) -> { });
        double[] ms = new double[count];
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] last = {System.nanoTime()};
        long driverStart = cpu.getCurrentThreadCpuTime();
        training.run(51, 50 + count, (round, model, updates) -> {
            long now = System.nanoTime();
            ms[round - 51] = (now - last[0]) / 1e6;
            last[0] = now;
        });
        // The driver's own CPU: opening and closing rounds, submitting (summing) every update, the listener.
        System.out.printf(Locale.ROOT, "  (driver thread CPU %.3f ms per round)%n",
                (cpu.getCurrentThreadCpuTime() - driverStart) / 1e6 / count);
        return ms;
    }
}
