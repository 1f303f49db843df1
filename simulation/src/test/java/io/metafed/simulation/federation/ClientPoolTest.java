package io.metafed.simulation.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.nn.ParamLayout;
import io.metafed.simulation.CollabSettings;
import io.metafed.simulation.ModelFamily;
import io.metafed.simulation.SimulationRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientPoolTest {
    @TempDir
    Path dir;

    private static Map<Integer, List<Interaction>> byUser(Dataset data) {
        Map<Integer, List<Interaction>> byUser = new LinkedHashMap<>();
        for (Interaction in : data.interactions()) {
            byUser.computeIfAbsent(in.user(), u -> new ArrayList<>()).add(in);
        }
        return byUser;
    }

    @Test
    void forEachInOrder_consumesMapsResultsInTheUsersOrder_onTheCallersThread() {
        Dataset data = SyntheticDataGenerator.generate(SyntheticConfig.small(5));
        ParamLayout layout = SimulationRunner.layout(ModelFamily.COLLAB, CollabSettings.DEFAULT, data);
        Map<Integer, List<Interaction>> byUser = byUser(data);
        try (WorkerRuntimes workers = new WorkerRuntimes(layout, 2);
             ClientPool pool = new ClientPool(workers, layout, data, byUser, dir)) {
            List<Integer> users = new ArrayList<>(pool.users());
            Collections.reverse(users); // not the order the workers were dealt the clients in
            List<String> expected = pool.map(users, (user, client) -> user + ":" + client.ratingCount());
            List<String> consumed = new ArrayList<>();
            Thread caller = Thread.currentThread();
            pool.forEachInOrder(users, (user, client) -> user + ":" + client.ratingCount(), r -> {
                assertEquals(caller, Thread.currentThread(), "consumed on the caller's thread");
                consumed.add(r);
            });
            assertEquals(expected, consumed);
            assertEquals(users.size(), consumed.size());
        }
    }

    @Test
    void forEachInOrder_reportsAClientsOrTheConsumersFailure_afterEveryWorkerStopped() {
        Dataset data = SyntheticDataGenerator.generate(SyntheticConfig.small(6));
        ParamLayout layout = SimulationRunner.layout(ModelFamily.COLLAB, CollabSettings.DEFAULT, data);
        try (WorkerRuntimes workers = new WorkerRuntimes(layout, 2);
             ClientPool pool = new ClientPool(workers, layout, data, byUser(data), dir)) {
            List<Integer> users = pool.users();
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> pool.forEachInOrder(List.of(users.get(0), -7), (u, c) -> u, r -> { }));
            assertTrue(unknown.getMessage().contains("user -7"), unknown.getMessage());

            int bad = users.get(users.size() / 2);
            IllegalStateException failed = assertThrows(IllegalStateException.class, () -> pool.forEachInOrder(users,
                    (u, c) -> {
                        if (u == bad) {
                            throw new IllegalStateException("client " + u + " broke");
                        }
                        return u;
                    }, r -> { }));
            assertTrue(failed.getMessage().contains("client " + bad + " broke"), failed.getMessage());

            AtomicInteger ran = new AtomicInteger();
            RuntimeException refused = assertThrows(RuntimeException.class, () -> pool.forEachInOrder(users,
                    (u, c) -> ran.incrementAndGet(), r -> {
                        throw new RuntimeException("refused");
                    }));
            assertEquals("refused", refused.getMessage());
            // Every client's job had run to its end before the failure reached the caller.
            assertEquals(users.size(), ran.get());
        }
    }

    /**
     * A client that waits for every other client of its job: under the shared queue the other worker runs all of
     * them, so it is released. Under the fixed binding its own worker's later clients would wait behind it and the
     * latch would never open (the wait's timeout exists only so that such a regression fails instead of hanging).
     */
    @Test
    void sharedQueue_aBusyWorkersBacklogIsTakenByTheOtherWorker() throws Exception {
        Dataset data = SyntheticDataGenerator.generate(SyntheticConfig.small(7));
        ParamLayout layout = SimulationRunner.layout(ModelFamily.COLLAB, CollabSettings.DEFAULT, data);
        Map<Integer, List<Interaction>> byUser = byUser(data);
        try (WorkerRuntimes workers = new WorkerRuntimes(layout, 2);
             ClientPool pool = new ClientPool(workers, layout, data, byUser, dir)) {
            List<Integer> users = pool.users().subList(0, 10);
            java.util.concurrent.CountDownLatch others = new java.util.concurrent.CountDownLatch(users.size() - 1);
            Map<Integer, String> ranOn = new java.util.concurrent.ConcurrentHashMap<>();
            List<Boolean> released = pool.map(users, (user, client) -> {
                ranOn.put(user, Thread.currentThread().getName() + "@" + System.identityHashCode(Thread.currentThread()));
                if (user.equals(users.get(0))) {
                    try {
                        return others.await(60, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
                others.countDown();
                return true;
            });
            assertTrue(released.get(0), "the first client's worker's backlog must have run on the other worker");
            String first = ranOn.get(users.get(0));
            assertTrue(users.subList(1, users.size()).stream().noneMatch(u -> ranOn.get(u).equals(first)),
                    "every other client ran on the other worker: " + ranOn);
        }
    }
}
