package io.metafed.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.metafed.coordinator.aggregate.Adam;
import io.metafed.coordinator.aggregate.EpsilonSchedule;
import io.metafed.coordinator.aggregate.Reptile;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.coordinator.round.ClientUpdate;
import io.metafed.coordinator.round.DuplicateUpdateException;
import io.metafed.coordinator.round.RoundConfig;
import io.metafed.model.Randoms;
import io.metafed.model.nn.ParamLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many threads submitting to one round on a MeLU-sized model give the sequential aggregate. Each update is
 * submitted twice, from different threads, so duplicate detection races too: exactly one copy must count.
 */
class ConcurrentSubmitTest {
    private static final int CLIENTS = 48;
    private static final int THREADS = 8;

    @Test
    void submit_manyThreadsOneRound_matchesSequentialAggregateWithin1e6() throws Exception {
        ParamLayout layout = Fixtures.meluLayout();
        float[] theta = gaussian(layout.size(), 1);
        List<float[]> deltas = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < CLIENTS; i++) {
            deltas.add(gaussian(layout.size(), 100 + i));
            weights.add(1 + random.nextInt(200) + random.nextDouble());
        }

        Coordinator sequential = coordinator(layout, theta);
        RoundTask seqTask = sequential.openRound();
        for (int i = 0; i < CLIENTS; i++) {
            sequential.submit(Fixtures.update(seqTask, "c" + i, deltas.get(i), weights.get(i)));
        }
        float[] expected = assertInstanceOf(RoundResult.Aggregated.class, sequential.closeRound()).model().params();

        Coordinator concurrent = coordinator(layout, theta);
        RoundTask task = concurrent.openRound();
        List<ClientUpdate> work = new ArrayList<>();
        for (int copy = 0; copy < 2; copy++) {
            for (int i = 0; i < CLIENTS; i++) {
                work.add(Fixtures.update(task, "c" + i, deltas.get(i), weights.get(i)));
            }
        }
        Collections.shuffle(work, new Random(3));
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = Fixtures.fromThreads(pool, work, THREADS, start, u -> {
                try {
                    concurrent.submit(u);
                    accepted.incrementAndGet();
                } catch (DuplicateUpdateException e) {
                    duplicates.incrementAndGet();
                }
            });
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(CLIENTS, accepted.get());
        assertEquals(CLIENTS, duplicates.get());
        float[] actual = assertInstanceOf(RoundResult.Aggregated.class, concurrent.closeRound()).model().params();
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], 1e-6, "param " + j);
        }
    }

    /** Adam makes every coordinate's step depend on the whole mean update, so ordering errors would show. */
    private static Coordinator coordinator(ParamLayout layout, float[] theta) {
        var config = Fixtures.config(RoundConfig.of(CLIENTS, CLIENTS, 9),
                new Reptile(new EpsilonSchedule.Constant(0.3), Adam.defaults()));
        return Fixtures.coordinator(layout, theta, config, new InMemoryCheckpointStore(), CLIENTS);
    }

    private static float[] gaussian(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Randoms.gaussian(random);
        }
        return v;
    }
}
