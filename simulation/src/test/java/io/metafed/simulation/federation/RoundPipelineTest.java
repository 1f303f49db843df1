package io.metafed.simulation.federation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

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
import io.metafed.model.features.FeatureSchema;
import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ParamInitializer;
import io.metafed.model.nn.ParamLayout;
import io.metafed.sdk.MetafedClient;
import io.metafed.simulation.CollabSettings;
import io.metafed.simulation.ModelFamily;
import io.metafed.simulation.SimulationRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process round pipeline: the shared queue leaves θ as the fixed binding had it, and the virtual-time
 * deadline with over-selection takes exactly the earliest in-time updates.
 */
class RoundPipelineTest {
    private static final long SEED = 5;
    @TempDir
    Path dir;

    private final Dataset data = SyntheticDataGenerator.generate(SyntheticConfig.small(5));
    private final Map<Integer, List<Interaction>> byUser = byUser(data);

    private static Map<Integer, List<Interaction>> byUser(Dataset data) {
        Map<Integer, List<Interaction>> out = new LinkedHashMap<>();
        for (Interaction in : data.interactions()) {
            out.computeIfAbsent(in.user(), u -> new ArrayList<>()).add(in);
        }
        return out;
    }

    private ParamLayout layout(boolean collab) {
        return collab ? SimulationRunner.layout(ModelFamily.COLLAB, CollabSettings.DEFAULT, data)
                : ParamLayout.of(ModelConfig.melu(FeatureSchema.standard(data)));
    }

    private float[] theta0(ParamLayout layout) {
        return layout.spec() instanceof io.metafed.model.nn.CollabConfig ? SimulationRunner.initialParams(layout,
                SEED, 3.5f) : ParamInitializer.initialize(layout, SEED, 3.5f);
    }

    private Coordinator coordinator(ParamLayout layout, RoundConfig rounds) {
        FederatedAlgorithm a = FederatedAlgorithm.defaultFor(layout);
        return new Coordinator(layout, theta0(layout), new CoordinatorConfig(rounds,
                LocalTraining.builder(a).steps(3).learningRate(0.05).batchSize(16).build(),
                AggregationRules.of(a, new EpsilonSchedule.Constant(1.0), new Sgd())), new InMemoryCheckpointStore(),
                Clock.systemUTC());
    }

    /** What a run ends with. */
    private record Outcome(float[] theta, PipelineStats stats, List<List<Integer>> batches, int failed) {
    }

    private Outcome train(ParamLayout layout, int workers, ClientPool.Scheduling scheduling, RoundConfig rounds,
                          Optional<RoundDeadline> deadline, int count) throws Exception {
        Path stores = Files.createTempDirectory(dir, "stores");
        try (WorkerRuntimes w = new WorkerRuntimes(layout, workers);
             ClientPool pool = new ClientPool(w, layout, data, data.scale(), byUser, stores,
                     ClientPool.DEFAULT_MAX_OPEN, scheduling)) {
            Recording recording = new Recording(pool);
            Coordinator coordinator = coordinator(layout, rounds);
            FederatedTraining training = new FederatedTraining(coordinator, recording, SEED, Optional.empty(),
                    deadline);
            int failed = training.run(count, (r, m, u) -> { });
            return new Outcome(coordinator.currentModel().params(), training.stats(), recording.batches, failed);
        }
    }

    /** The pool, recording which users each job ran, in order. */
    private static final class Recording extends ForwardingExecution {
        final List<List<Integer>> batches = new ArrayList<>();

        Recording(ClientPool pool) {
            super(pool);
        }

        @Override
        public <R> List<R> map(List<Integer> users, BiFunction<Integer, MetafedClient, R> job) {
            batches.add(List.copyOf(users));
            return delegate.map(users, job);
        }

        @Override
        public <R> void forEachInOrder(List<Integer> users, BiFunction<Integer, MetafedClient, R> job,
                                       Consumer<? super R> consumer) {
            batches.add(List.copyOf(users));
            delegate.forEachInOrder(users, job, consumer);
        }
    }

    @Test
    void sharedQueue_collab_sameThetaAsFixedWorkersAndAsOneWorker() throws Exception {
        sameThetaWhateverTheScheduling(layout(true));
    }

    @Test
    void sharedQueue_melu_sameThetaAsFixedWorkersAndAsOneWorker() throws Exception {
        assumeFalse(Boolean.getBoolean("skipONNXTests"), "ONNX Runtime tests disabled by -DskipONNXTests");
        sameThetaWhateverTheScheduling(layout(false));
    }

    private void sameThetaWhateverTheScheduling(ParamLayout layout) throws Exception {
        RoundConfig rounds = RoundConfig.of(12, 6, SEED);
        // The fixed binding without a deadline is the code before the shared queue and deadlines existed.
        Outcome before = train(layout, 2, ClientPool.Scheduling.FIXED_WORKERS, rounds, Optional.empty(), 4);
        Outcome shared = train(layout, 2, ClientPool.Scheduling.SHARED_QUEUE, rounds, Optional.empty(), 4);
        Outcome one = train(layout, 1, ClientPool.Scheduling.SHARED_QUEUE, rounds, Optional.empty(), 4);
        Outcome three = train(layout, 3, ClientPool.Scheduling.SHARED_QUEUE, rounds, Optional.empty(), 4);
        assertFalse(Arrays.equals(theta0(layout), before.theta()), "training must move θ");
        assertTrue(Arrays.equals(before.theta(), shared.theta()), "shared queue vs fixed workers");
        assertTrue(Arrays.equals(before.theta(), one.theta()), "2 workers vs 1");
        assertTrue(Arrays.equals(before.theta(), three.theta()), "2 workers vs 3");
        // Without a deadline every selected client runs, in one job per round, in selection order.
        assertEquals(4, shared.batches().size());
        shared.batches().forEach(b -> assertEquals(12, b.size()));
        assertEquals(48, shared.stats().used());
        assertEquals(0, shared.stats().stragglers());
        assertEquals(0.0, shared.stats().virtualSeconds());
    }

    /** Latency = the user's id mod 10 seconds: which users are late is known in advance. */
    private static final DeviceLatency BY_ID = (seed, round, user) -> user % 10;

    @Test
    void deadline_cutsExactlyTheClientsArrivingAfterIt_andSubmitsInArrivalOrder() throws Exception {
        ParamLayout layout = layout(true);
        // No over-selection, m = 12: the round takes every client arriving by 5.5 s, fewer than 12.
        RoundConfig rounds = RoundConfig.of(12, 2, SEED);
        Outcome out = train(layout, 2, ClientPool.Scheduling.SHARED_QUEUE, rounds,
                Optional.of(new RoundDeadline(BY_ID, 5.5)), 3);
        Outcome none = train(layout, 2, ClientPool.Scheduling.SHARED_QUEUE, rounds, Optional.empty(), 3);
        assertEquals(0, out.failed());
        long late = 0;
        for (int r = 0; r < 3; r++) {
            List<Integer> selected = none.batches().get(r); // without a deadline: the whole selection, in order
            List<Integer> ran = out.batches().get(r);
            List<Integer> expected = selected.stream().filter(u -> u % 10 <= 5)
                    .sorted(java.util.Comparator.comparingInt((Integer u) -> u % 10)).toList();
            // Stable sort: ties keep selection order, as Arrivals does.
            assertEquals(expected, ran, "round " + r + ": the in-time clients, earliest first, and no other");
            late += selected.stream().filter(u -> u % 10 > 5).count();
        }
        assertTrue(late > 0, "the fixture must have stragglers");
        assertEquals(late, out.stats().stragglers());
        assertEquals(36, out.stats().selected());
        assertEquals(36 - late, out.stats().used());
        assertEquals(0, out.stats().surplus());
        // The rounds were not full, so each closed at the deadline.
        assertEquals(3 * 5.5, out.stats().virtualSeconds(), 1e-12);
        assertFalse(Arrays.equals(none.theta(), out.theta()), "dropping stragglers must change θ");
    }

    @Test
    void overSelection_fillsClientsPerRoundDespiteStragglers_andDropsTheSurplusUnadapted() throws Exception {
        ParamLayout layout = layout(true);
        Optional<RoundDeadline> deadline = Optional.of(new RoundDeadline(BY_ID, 6.5));
        Outcome plain = train(layout, 2, ClientPool.Scheduling.SHARED_QUEUE, RoundConfig.of(8, 2, SEED), deadline, 4);
        Outcome over = train(layout, 2, ClientPool.Scheduling.SHARED_QUEUE, new RoundConfig(8, 2, 2.0, SEED),
                deadline, 4);
        assertEquals(32, plain.stats().selected());
        assertTrue(plain.stats().used() < 32, "without over-selection stragglers leave rounds short: "
                + plain.stats());
        assertEquals(64, over.stats().selected(), "⌈8 · 2.0⌉ selected per round");
        assertEquals(32, over.stats().used(), "over-selection fills every round: " + over.stats());
        assertEquals(over.stats().inTime() - 32, over.stats().surplus());
        assertEquals(32, over.stats().adapted(), "no surplus or straggler is adapted");
        for (List<Integer> batch : over.batches()) {
            assertEquals(8, batch.size());
            assertTrue(batch.stream().allMatch(u -> u % 10 <= 6), "only in-time clients ran: " + batch);
            for (int i = 1; i < batch.size(); i++) {
                assertTrue(batch.get(i - 1) % 10 <= batch.get(i) % 10, "earliest first: " + batch);
            }
        }
        // A full round closes when its last needed update arrives, before the deadline.
        assertTrue(over.stats().longestRoundSeconds() <= 6.5, over.stats().toString());
    }

    @Test
    void failedAdaptation_nextInTimeClientTakesItsPlace() throws Exception {
        ParamLayout layout = layout(true);
        Path stores = Files.createTempDirectory(dir, "stores");
        try (WorkerRuntimes w = new WorkerRuntimes(layout, 2);
             ClientPool pool = new ClientPool(w, layout, data, byUser, stores)) {
            // The round's first job's first client fails (as a diverged adaptation would): the round asks the next
            // arrival, in a second job of one client.
            var failing = new ForwardingExecution(pool) {
                final List<List<Integer>> batches = new ArrayList<>();

                @Override
                public <R> List<R> map(List<Integer> users, BiFunction<Integer, MetafedClient, R> job) {
                    batches.add(List.copyOf(users));
                    List<R> results = new ArrayList<>(pool.map(users, job));
                    if (batches.size() == 1) {
                        @SuppressWarnings("unchecked")
                        R dropped = (R) Optional.empty();
                        results.set(0, dropped);
                    }
                    return results;
                }

            };
            Coordinator coordinator = coordinator(layout, new RoundConfig(8, 2, 2.0, SEED));
            FederatedTraining training = new FederatedTraining(coordinator, failing, SEED, Optional.empty(),
                    Optional.of(RoundDeadline.none(BY_ID)));
            assertEquals(0, training.run(1, (r, m, u) -> { }));
            PipelineStats stats = training.stats();
            assertEquals(8, stats.used(), stats.toString());
            assertEquals(1, stats.dropped(), stats.toString());
            assertEquals(9, stats.adapted(), stats.toString());
            assertEquals(2, failing.batches.size());
            assertEquals(8, failing.batches.get(0).size());
            assertEquals(1, failing.batches.get(1).size());
            assertFalse(failing.batches.get(0).contains(failing.batches.get(1).get(0)));
        }
    }

    @Test
    void belowMinUpdates_roundFails_thetaUnchanged() throws Exception {
        ParamLayout layout = layout(true);
        // Only users whose id ends in 0 arrive by 0.5 s: at most a few of 8, below minUpdates = 8.
        Outcome out = train(layout, 2, ClientPool.Scheduling.SHARED_QUEUE, new RoundConfig(8, 8, 1.5, SEED),
                Optional.of(new RoundDeadline(BY_ID, 0.5)), 3);
        assertEquals(3, out.failed());
        assertEquals(3, out.stats().failedRounds());
        assertTrue(out.stats().used() < 24);
        assertArrayEquals(theta0(layout), out.theta(), "failed rounds leave θ as it was");
    }

    @Test
    void logNormalLatency_sameSeedSameTheta_twice_andDiffersFromNoDeadline() throws Exception {
        ParamLayout layout = layout(true);
        Optional<RoundDeadline> deadline = Optional.of(new RoundDeadline(
                new DeviceLatency.LogNormal(10, 0.5, 0.2, 10), 20));
        RoundConfig rounds = new RoundConfig(8, 4, 1.3, SEED);
        Outcome a = train(layout, 2, ClientPool.Scheduling.SHARED_QUEUE, rounds, deadline, 4);
        Outcome b = train(layout, 1, ClientPool.Scheduling.SHARED_QUEUE, rounds, deadline, 4);
        Outcome none = train(layout, 2, ClientPool.Scheduling.SHARED_QUEUE, rounds, Optional.empty(), 4);
        assertTrue(Arrays.equals(a.theta(), b.theta()), "same seed, same θ");
        assertEquals(a.stats(), b.stats());
        assertEquals(a.batches(), b.batches());
        assertTrue(a.stats().stragglers() > 0, a.stats().toString());
        assertFalse(Arrays.equals(a.theta(), none.theta()), "the deadline must matter");
    }

    @Test
    void logNormal_pureFunctionOfSeedRoundUser_withItsMedianAndStragglerShare() {
        DeviceLatency.LogNormal latency = new DeviceLatency.LogNormal(10, 0.5, 0.1, 10);
        assertEquals(latency.seconds(1, 2, 3), latency.seconds(1, 2, 3));
        assertTrue(latency.seconds(1, 2, 3) != latency.seconds(1, 3, 3), "a new draw each round");
        assertTrue(latency.seconds(1, 2, 3) != latency.seconds(2, 2, 3), "a new draw each seed");
        int n = 20_000;
        double[] all = new double[n];
        int slow = 0;
        for (int u = 0; u < n; u++) {
            all[u] = latency.seconds(7, 1, u);
            // Beyond 10·e^(4σ) = 73.9 s: the body with probability 3e-5, a straggler (100·e^(σN)) when
            // N > 2·ln(0.739) = −0.605, probability 0.727.
            slow += all[u] > 10 * Math.exp(4 * 0.5) ? 1 : 0;
        }
        Arrays.sort(all);
        // Nine in ten are from the body: the overall median sits a little above the body's 10 s.
        assertEquals(10 * Math.exp(0.5 * 0.1397), all[n / 2], 0.4); // Φ⁻¹(0.5/0.9) = 0.1397
        assertEquals(n * (0.1 * 0.727 + 0.9 * 3.2e-5), slow, 150); // ±4 standard deviations
        assertThrowsMessage(() -> new DeviceLatency.LogNormal(0, 0.5, 0, 1), "median must be positive");
        assertThrowsMessage(() -> new DeviceLatency.LogNormal(1, 0.5, 1.5, 1), "fraction must be in [0, 1]");
        assertThrowsMessage(() -> DeviceLatency.LogNormal.parse("10"), "MEDIAN,SIGMA[,FRACTION,SLOWDOWN]");
        assertThrowsMessage(() -> DeviceLatency.LogNormal.parse("10,x"), "found 'x'");
        assertEquals(new DeviceLatency.LogNormal(10, 0.5, 0.1, 10), DeviceLatency.LogNormal.parse("10,0.5,0.1,10"));
        assertEquals(new DeviceLatency.LogNormal(10, 0.5, 0, 1), DeviceLatency.LogNormal.parse("10,0.5"));
    }

    private static void assertThrowsMessage(org.junit.jupiter.api.function.Executable e, String part) {
        IllegalArgumentException x = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(part), x.getMessage());
    }

    @Test
    void arrivals_withoutDeadline_areTheSelectionInOrder() {
        List<Integer> selected = List.of(13, 2, 7, 40);
        Arrivals a = Arrivals.of(selected, Optional.empty(), SEED, 0);
        assertEquals(selected, a.inTime());
        assertEquals(List.of(), a.late());
        Arrivals cut = Arrivals.of(selected, Optional.of(new RoundDeadline(BY_ID, 3)), SEED, 0);
        assertEquals(List.of(40, 2, 13), cut.inTime(), "0 s, 2 s, 3 s (3 s is in time)");
        assertEquals(List.of(7), cut.late());
        assertEquals(3.0, cut.closesAt(3, 2, 3));
        assertEquals(3.0, cut.closesAt(2, 1, 3), "not full: the deadline");
        assertEquals(2.0, cut.closesAt(2, 1, 2), "full at the second arrival");
        Set<Integer> seen = new HashSet<>(cut.inTime());
        seen.addAll(cut.late());
        assertEquals(Set.copyOf(selected), seen);
    }
}
