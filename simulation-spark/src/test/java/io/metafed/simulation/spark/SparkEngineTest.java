package io.metafed.simulation.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.RoundTask;
import io.metafed.coordinator.model.FileCheckpointStore;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.sdk.GlobalModel;
import io.metafed.simulation.ModelFamily;
import io.metafed.simulation.federation.ClientPool;
import io.metafed.simulation.federation.ClientRound;
import io.metafed.simulation.federation.ExecutionEngine;
import io.metafed.simulation.federation.FederatedTraining;
import io.metafed.simulation.federation.UpdateSum;
import io.metafed.simulation.federation.WorkerRuntimes;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark engine in local mode against the in-process engine. One context for the class (Spark allows one per
 * JVM): {@code local[2,4]}, two task threads and up to four attempts per task, so a failed task is retried.
 */
class SparkEngineTest {
    private static SparkEngine engine;
    private static final AtomicInteger FAILED_TASKS = new AtomicInteger();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        engine = new SparkEngine(new ExecutionEngine.Settings("local[2,4]", 4));
        engine.context().sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (!end.taskInfo().successful()) {
                    FAILED_TASKS.incrementAndGet();
                }
            }
        });
    }

    @AfterAll
    static void stop() {
        engine.close();
        assertEquals(0, ExecutorSide.openRuntimes(), "closing a local engine closes the executors' runtimes");
    }

    @Test
    void collab_twoRounds_sameThetaAsInProcess() {
        sameThetaAsInProcess(new Fixture(ModelFamily.COLLAB, 120));
    }

    @Test
    void melu_twoRounds_sameThetaAsInProcess() {
        assumeFalse(Boolean.getBoolean("skipONNXTests"), "ONNX Runtime tests disabled by -DskipONNXTests");
        sameThetaAsInProcess(new Fixture(ModelFamily.MELU, 120));
    }

    /**
     * Same seed, same θ: the in-process engine submits each update and the coordinator sums them in selection
     * order; Spark sums per partition and tree-combines, so only double rounding differs, and θ after two rounds
     * agrees to 1e-6 of its largest entry (float θ itself resolves ~6e-8).
     */
    private void sameThetaAsInProcess(Fixture f) {
        float[] inProcess;
        float[] spark;
        try (WorkerRuntimes workers = new WorkerRuntimes(f.layout, 2);
             ClientPool pool = new ClientPool(workers, f.layout, f.data, f.byUser, dir)) {
            inProcess = f.train(pool, 2, 16);
            try (SparkClients clients = (SparkClients) engine.clients(f.setup(workers, dir))) {
                assertEquals(4, clients.partitions());
                spark = f.train(clients, 2, 16);
            }
        }
        float[] theta0 = f.coordinator(16, new InMemoryCheckpointStore()).currentModel().params();
        assertTrue(Fixture.relativeDifference(inProcess, theta0) > 1e-3, "two rounds must move θ");
        double diff = Fixture.relativeDifference(spark, inProcess);
        System.out.printf("%s: Spark vs in-process θ after 2 rounds: max relative difference %.3e%n", f.model, diff);
        assertTrue(diff <= 1e-6, "Spark θ must equal in-process θ to 1e-6 relative, found " + diff);
    }

    @Test
    void collab_overSelectionAndDeadline_sameThetaAsInProcess() {
        Fixture f = new Fixture(ModelFamily.COLLAB, 120);
        // Users ending in 7–9 arrive after the 6.5-s deadline; 1.5× over-selection fills the rounds anyway.
        io.metafed.simulation.federation.RoundDeadline deadline = new io.metafed.simulation.federation.RoundDeadline(
                (seed, round, user) -> user % 10, 6.5);
        float[] inProcess;
        float[] spark;
        try (WorkerRuntimes workers = new WorkerRuntimes(f.layout, 2);
             ClientPool pool = new ClientPool(workers, f.layout, f.data, f.byUser, dir)) {
            inProcess = f.train(pool, 2, 16, 1.5, deadline);
            try (SparkClients clients = (SparkClients) engine.clients(f.setup(workers, dir))) {
                spark = f.train(clients, 2, 16, 1.5, deadline);
            }
        }
        assertTrue(Fixture.relativeDifference(inProcess, f.theta0()) > 1e-3, "two rounds must move θ");
        double diff = Fixture.relativeDifference(spark, inProcess);
        assertTrue(diff <= 1e-6, "Spark θ must equal in-process θ to 1e-6 relative, found " + diff);
    }

    @Test
    void lostTask_retried_sameRoundSumAndNoDoubleCount() {
        Fixture f = new Fixture(ModelFamily.COLLAB, 80);
        try (WorkerRuntimes workers = new WorkerRuntimes(f.layout, 1);
             SparkClients clients = (SparkClients) engine.clients(f.setup(workers, dir))) {
            Coordinator coordinator = f.coordinator(40, new InMemoryCheckpointStore());
            f.data.users().keySet().forEach(u -> coordinator.checkIn("user-" + u));
            RoundTask task = coordinator.openRound();
            List<Integer> selected = new ArrayList<>();
            task.selectedClients().forEach(id -> selected.add(Integer.parseInt(id.substring(5))));
            ClientRound round = new ClientRound(task.roundId(), GlobalModel.of(task.modelVersion(), f.layout,
                    coordinator.currentModel().vector()), task.training(), Fixture.SEED);

            UpdateSum clean = clients.adaptAndSum(selected, round);
            int failedBefore = FAILED_TASKS.get();
            clients.failFirstAttemptOf(0);
            UpdateSum retried = clients.adaptAndSum(selected, round);
            clients.failFirstAttemptOf(-1);

            assertTrue(FAILED_TASKS.get() > failedBefore, "the injected failure must have failed a task attempt");
            assertEquals(40, clean.count() + clean.droppedUsers().size());
            // A double-counted partition would add its clients and weight a second time.
            assertEquals(clean.contributors(), retried.contributors());
            assertEquals(clean.totalWeight(), retried.totalWeight());
            double[] a = clean.weightedDelta();
            double[] b = retried.weightedDelta();
            double scale = 0;
            double diff = 0;
            for (int j = 0; j < a.length; j++) {
                scale = Math.max(scale, Math.abs(a[j]));
                diff = Math.max(diff, Math.abs(a[j] - b[j]));
            }
            assertTrue(scale > 0, "the round must produce a non-zero sum");
            // Only the order partial sums combine in may differ: double rounding.
            assertTrue(diff <= 1e-12 * scale, "retried sum must equal the clean one, differs by " + diff / scale);
        }
    }

    @Test
    void runtimes_onePerTaskThread_reusedAcrossRounds() {
        Fixture f = new Fixture(ModelFamily.COLLAB, 60);
        try (WorkerRuntimes workers = new WorkerRuntimes(f.layout, 1);
             SparkClients clients = (SparkClients) engine.clients(f.setup(workers, dir))) {
            int runtimesBefore = ExecutorSide.openRuntimes();
            long devicesBefore = ExecutorSide.devicesOpened();
            f.train(clients, 3, 20);
            assertEquals(60, ExecutorSide.devicesOpened() - devicesBefore, "3 rounds of 20 clients");
            // local[2]: two task threads at a time; Spark's cached pool may start a fresh one now and then, which
            // opens its own runtime once. A runtime per device would have opened 60.
            int opened = ExecutorSide.openRuntimes() - runtimesBefore;
            assertTrue(opened <= 2, "rounds must reuse the task threads' runtimes, opened " + opened);
            assertTrue(clients.cachedBytes() > 0, "the client data must be cached");
        }
    }

    /**
     * A driver restart: the first driver ran 2 of 4 rounds with checkpoints and died; the second resumes the
     * coordinator from the newest checkpoint, caches a new client population and runs rounds 3 and 4. θ equals the
     * uninterrupted run's to the bit: sampling and client seeds follow the round id, θ comes back exactly.
     */
    @Test
    void driverRestart_resumedFromCheckpoint_sameThetaAsUninterrupted() throws Exception {
        Fixture f = new Fixture(ModelFamily.COLLAB, 60);
        Path checkpoints = dir.resolve("checkpoints");
        try (WorkerRuntimes workers = new WorkerRuntimes(f.layout, 1)) {
            float[] straight;
            try (SparkClients clients = (SparkClients) engine.clients(f.setup(workers, dir))) {
                straight = f.train(clients, 4, 12);
            }
            try (SparkClients first = (SparkClients) engine.clients(f.setup(workers, dir))) {
                Coordinator before = f.coordinator(12, new FileCheckpointStore(checkpoints, f.layout));
                new FederatedTraining(before, first, Fixture.SEED).run(2, (r, m, u) -> { });
            }
            try (SparkClients second = (SparkClients) engine.clients(f.setup(workers, dir))) {
                Coordinator after = Coordinator.resume(f.layout, f.theta0(), f.config(12),
                        new FileCheckpointStore(checkpoints, f.layout), Clock.systemUTC(), 0);
                assertEquals(2, after.nextRoundId(), "two rounds were checkpointed");
                assertEquals(2, after.currentModel().version());
                new FederatedTraining(after, second, Fixture.SEED).run(3, 4, (r, m, u) -> { });
                assertArrayEquals(straight, after.currentModel().params());
            }
        }
    }

    @Test
    void unknownUser_refusedWithItsId() {
        Fixture f = new Fixture(ModelFamily.COLLAB, 30);
        try (WorkerRuntimes workers = new WorkerRuntimes(f.layout, 1);
             SparkClients clients = (SparkClients) engine.clients(f.setup(workers, dir))) {
            Coordinator coordinator = f.coordinator(4, new InMemoryCheckpointStore());
            ClientRound round = new ClientRound(0, GlobalModel.of(0, f.layout, coordinator.currentModel().vector()),
                    f.training(), Fixture.SEED);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> clients.adaptAndSum(List.of(1, 999_999), round));
            assertTrue(e.getMessage().contains("999999"), e.getMessage());
            assertNotEquals(0, clients.users().size());
            assertArrayEquals(f.byUser.keySet().stream().mapToInt(Integer::intValue).toArray(),
                    clients.users().stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
