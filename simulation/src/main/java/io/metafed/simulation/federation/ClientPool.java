package io.metafed.simulation.federation;

import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.data.Profiles;
import io.metafed.model.data.RatingScale;
import io.metafed.model.nn.ParamLayout;
import io.metafed.sdk.MetafedClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Virtual devices: one real {@link MetafedClient} (own interaction store file, shared per-worker runtime) per
 * user, holding that user's ratings. The simulator reaches the ratings only through the SDK's public API. The
 * in-process {@link ClientExecution}.
 */
public final class ClientPool implements ClientExecution {
    private final WorkerRuntimes workers;
    private final Map<Integer, MetafedClient> clients = new LinkedHashMap<>();
    private final Map<Integer, Integer> workerOf = new LinkedHashMap<>();
    private int maxRatingCount;

    /** Devices of a dataset's users: side information from {@code data}, ratings checked on its scale. */
    public ClientPool(WorkerRuntimes workers, ParamLayout layout, Dataset data,
                      Map<Integer, List<Interaction>> ratingsByUser, Path storeDir) {
        this(workers, layout, data, data.scale(), ratingsByUser, storeDir);
    }

    public ClientPool(WorkerRuntimes workers, ParamLayout layout, Profiles profiles, RatingScale scale,
                      Map<Integer, List<Interaction>> ratingsByUser, Path storeDir) {
        this.workers = workers;
        int next = 0;
        try {
            for (Map.Entry<Integer, List<Interaction>> e : ratingsByUser.entrySet()) {
                int user = e.getKey();
                int worker = next++ % workers.workers();
                MetafedClient client = device(workers, worker, layout, profiles, scale, user,
                        storeDir.resolve("user-" + user + ".store"));
                clients.put(user, client);
                workerOf.put(user, worker);
                maxRatingCount = Math.max(maxRatingCount, e.getValue().size());
                recordAll(client, e.getValue());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * The virtual device of {@code user}: its interaction store at {@code store}, side information from
     * {@code profiles}, and worker {@code worker}'s runtime, which it shares with the worker's other devices.
     */
    public static MetafedClient device(WorkerRuntimes workers, int worker, ParamLayout layout, Profiles profiles,
                                       RatingScale scale, int user, Path store) {
        MetafedClient.Builder builder = MetafedClient.builder()
                .storePath(store)
                .user(profiles.user(user))
                .catalog(profiles)
                .layout(layout)
                .ratingScale(scale);
        if (workers.collabRuntime(worker) != null) {
            builder.collabRuntime(workers.collabRuntime(worker));
        } else {
            builder.runtime(workers.runtime(worker));
        }
        return builder.build();
    }

    /** Stores {@code ratings} on {@code client}'s device in one write, as a user's imported history. */
    public static void recordAll(MetafedClient client, List<Interaction> ratings) {
        int[] items = new int[ratings.size()];
        float[] values = new float[ratings.size()];
        for (int i = 0; i < items.length; i++) {
            items[i] = ratings.get(i).item();
            values[i] = ratings.get(i).rating();
        }
        client.recordRatings(items, values);
    }

    @Override
    public int maxRatingCount() {
        return maxRatingCount;
    }

    @Override
    public List<Integer> users() {
        return List.copyOf(clients.keySet());
    }

    /** {@inheritDoc} Each client runs on its own worker. */
    @Override
    public <R> List<R> map(List<Integer> users, BiFunction<Integer, MetafedClient, R> job) {
        List<Map<Integer, R>> perWorker = workers.onEachWorker(w -> {
            Map<Integer, R> done = new LinkedHashMap<>();
            for (int user : users) {
                MetafedClient client = clients.get(user);
                if (client == null) {
                    throw new IllegalArgumentException("no virtual client for user " + user);
                }
                if (workerOf.get(user) == w) {
                    done.put(user, job.apply(user, client));
                }
            }
            return done;
        });
        List<R> results = new ArrayList<>(users.size());
        for (int user : users) {
            results.add(perWorker.get(workerOf.get(user)).get(user));
        }
        return results;
    }

    /**
     * Runs {@code job(worker, clientsOfThatWorker)} on every worker concurrently (a long-running loop per worker,
     * e.g. devices polling a networked coordinator) and returns the results in worker order.
     */
    public <R> List<R> onEachWorker(BiFunction<Integer, Map<Integer, MetafedClient>, R> job) {
        return workers.onEachWorker(w -> {
            Map<Integer, MetafedClient> mine = new LinkedHashMap<>();
            clients.forEach((user, client) -> {
                if (workerOf.get(user) == w) {
                    mine.put(user, client);
                }
            });
            return job.apply(w, mine);
        });
    }

    @Override
    public void close() {
        clients.values().forEach(MetafedClient::close);
        clients.clear();
    }
}
