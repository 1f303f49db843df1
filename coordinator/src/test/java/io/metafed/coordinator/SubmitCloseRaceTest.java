package io.metafed.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.aggregate.Reptile;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.coordinator.round.ClientUpdate;
import io.metafed.coordinator.round.ContributionBounds;
import io.metafed.coordinator.round.CoordinatorException;
import io.metafed.coordinator.round.InvalidUpdateException;
import io.metafed.coordinator.round.ParticipantSampler;
import io.metafed.coordinator.round.RoundConfig;
import io.metafed.model.nn.ParamLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Submissions check content before the coordinator's lock; acceptance stays exactly-once and atomic with the round
 * close. Threads submit valid updates, each twice, mixed with NaN ones, while another thread closes the round
 * part-way: every update that returned normally is in the aggregate and no other is, whether the bounds sum
 * updates as they arrive (unbounded) or hold them for the close (the server's default median bound).
 */
class SubmitCloseRaceTest {
    private static final int CLIENTS = 64;
    private static final int THREADS = 6;

    @Test
    void submitRacingClose_unbounded_acceptedExactlyTheAggregated() throws Exception {
        raceAndCheck(ContributionBounds.unbounded());
    }

    @Test
    void submitRacingClose_medianBound_acceptedExactlyTheAggregated() throws Exception {
        raceAndCheck(ContributionBounds.defaults());
    }

    private static void raceAndCheck(ContributionBounds bounds) throws Exception {
        ParamLayout layout = Fixtures.meluLayout();
        float[] theta = new float[layout.size()];
        List<float[]> deltas = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            deltas.add(random(layout.size(), 10 + i));
        }
        Coordinator concurrent = coordinator(layout, theta, bounds);
        RoundTask task = concurrent.openRound();
        List<ClientUpdate> work = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            work.add(Fixtures.update(task, "c" + i, deltas.get(i), 1 + i % 5));
            work.add(Fixtures.update(task, "c" + i, deltas.get(i), 1 + i % 5));
            float[] nan = deltas.get(i).clone();
            nan[i * 7] = Float.NaN;
            work.add(Fixtures.update(task, "c" + i, nan, 1));
        }
        Collections.shuffle(work, new Random(5));
        ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
        AtomicInteger nanAccepted = new AtomicInteger();
        AtomicInteger invalid = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger submitted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        RoundResult result;
        try {
            List<Future<?>> futures = Fixtures.fromThreads(pool, work, THREADS, start, u -> {
                try {
                    concurrent.submit(u);
                    accepted.add(u.clientId());
                    if (hasNaN(u)) {
                        nanAccepted.incrementAndGet();
                    }
                } catch (InvalidUpdateException e) {
                    invalid.incrementAndGet();
                } catch (CoordinatorException e) {
                    // duplicate, or the round already closed
                }
                submitted.incrementAndGet();
            });
            Future<RoundResult> close = pool.submit(() -> {
                start.await();
                while (submitted.get() < work.size() / 2) {
                    Thread.onSpinWait();
                }
                return concurrent.closeRound();
            });
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            result = close.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, nanAccepted.get(), "an update with a NaN was accepted");
        assertTrue(invalid.get() > 0, "no NaN update was refused before the close: the race did not run");
        List<String> ids = new ArrayList<>(accepted);
        assertEquals(ids.size(), ids.stream().distinct().count(), () -> "a client counted twice: " + ids);
        RoundResult.Aggregated aggregated = assertInstanceOf(RoundResult.Aggregated.class, result);
        assertEquals(ids.size(), aggregated.model().provenance().participants(),
                "updates that returned normally vs updates the round aggregated");

        // The same updates submitted one by one give the same model.
        Coordinator sequential = coordinator(layout, theta, bounds);
        RoundTask seqTask = sequential.openRound();
        for (String id : ids) {
            int i = Integer.parseInt(id.substring(1));
            sequential.submit(Fixtures.update(seqTask, id, deltas.get(i), 1 + i % 5));
        }
        float[] expected = assertInstanceOf(RoundResult.Aggregated.class, sequential.closeRound()).model().params();
        float[] actual = aggregated.model().params();
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], 1e-6, "param " + j);
        }
    }

    private static boolean hasNaN(ClientUpdate u) {
        for (int i = 0; i < u.deltaVector().size(); i++) {
            if (Float.isNaN(u.deltaVector().get(i))) {
                return true;
            }
        }
        return false;
    }

    private static Coordinator coordinator(ParamLayout layout, float[] theta, ContributionBounds bounds) {
        RoundConfig rounds = RoundConfig.of(CLIENTS, 1, 3);
        CoordinatorConfig config = new CoordinatorConfig(rounds, Fixtures.CLIENT, Reptile.constant(1.0), bounds,
                ParticipantSampler.seeded(rounds.seed()));
        return Fixtures.coordinator(layout, theta, config, new InMemoryCheckpointStore(), CLIENTS);
    }

    private static float[] random(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextDouble() * 0.02 - 0.01);
        }
        return v;
    }
}
