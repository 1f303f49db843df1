package io.metafed.simulation.federation;

import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.data.Profiles;
import io.metafed.model.data.RatingScale;
import io.metafed.model.nn.ParamLayout;
import io.metafed.sdk.LocalUpdate;
import io.metafed.sdk.MetafedClient;
import io.metafed.sdk.runtime.OrtBatchedCollabRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Virtual devices: one real {@link MetafedClient} (own interaction store file, shared per-worker runtime) per
 * user, holding that user's ratings. The simulator reaches the ratings only through the SDK's public API. The
 * in-process {@link ClientExecution}.
 * <p>
 * An open client holds its store file open, so a population beyond {@code maxOpen} devices would exhaust the
 * process's file descriptors (100,000 devices against a typical limit of 20,000): the first {@code maxOpen} stay
 * open, the rest are <em>dormant</em> — written once, closed, and reopened from their store for each job, as a
 * phone's app is started to take part in a round. A job sees the same ratings either way.
 * <p>
 * Jobs are {@link Scheduling#SHARED_QUEUE shared}: the next free worker takes the next client of the list, with its
 * own runtime ({@link WorkerRuntimes#boundRuntime}), so no worker idles while another has a backlog. Results keep
 * the list's order either way, and a client's result does not depend on the worker that ran it.
 */
public final class ClientPool implements ClientExecution {
    /** Devices kept open by default: well below common descriptor limits, above every dataset's TRAIN users. */
    public static final int DEFAULT_MAX_OPEN = 8_192;

    /** Which worker runs a job's clients. */
    public enum Scheduling {
        /** The next free worker takes the next client: a round ends when its last client does. */
        SHARED_QUEUE,
        /**
         * Each client runs on its home worker (round-robin over the users), as before the shared queue: a round
         * ends when the worker with the most work does. Kept to compare the two (bench, tests).
         */
        FIXED_WORKERS
    }

    private final WorkerRuntimes workers;
    private final ParamLayout layout;
    private final Profiles profiles;
    private final RatingScale scale;
    private final Map<Integer, MetafedClient> clients = new LinkedHashMap<>();
    private final Map<Integer, Path> dormant = new LinkedHashMap<>();
    private final Map<Integer, Integer> workerOf = new LinkedHashMap<>();
    private final Scheduling scheduling;
    private int maxRatingCount;

    /** Devices of a dataset's users: side information from {@code data}, ratings checked on its scale. */
    public ClientPool(WorkerRuntimes workers, ParamLayout layout, Dataset data,
                      Map<Integer, List<Interaction>> ratingsByUser, Path storeDir) {
        this(workers, layout, data, data.scale(), ratingsByUser, storeDir);
    }

    public ClientPool(WorkerRuntimes workers, ParamLayout layout, Profiles profiles, RatingScale scale,
                      Map<Integer, List<Interaction>> ratingsByUser, Path storeDir) {
        this(workers, layout, profiles, scale, ratingsByUser, storeDir, DEFAULT_MAX_OPEN);
    }

    /** @param maxOpen devices kept open (≥ 0); the others are reopened from their store for each job */
    public ClientPool(WorkerRuntimes workers, ParamLayout layout, Profiles profiles, RatingScale scale,
                      Map<Integer, List<Interaction>> ratingsByUser, Path storeDir, int maxOpen) {
        this(workers, layout, profiles, scale, ratingsByUser, storeDir, maxOpen, Scheduling.SHARED_QUEUE);
    }

    /** @param scheduling which worker runs each job's clients */
    public ClientPool(WorkerRuntimes workers, ParamLayout layout, Profiles profiles, RatingScale scale,
                      Map<Integer, List<Interaction>> ratingsByUser, Path storeDir, int maxOpen,
                      Scheduling scheduling) {
        this.scheduling = java.util.Objects.requireNonNull(scheduling, "scheduling");
        this.workers = workers;
        this.layout = layout;
        this.profiles = profiles;
        this.scale = scale;
        if (maxOpen < 0) {
            throw new IllegalArgumentException("maxOpen must be >= 0, found " + maxOpen);
        }
        int next = 0;
        try {
            for (Map.Entry<Integer, List<Interaction>> e : ratingsByUser.entrySet()) {
                int user = e.getKey();
                int worker = next++ % workers.workers();
                Path store = storeDir.resolve("user-" + user + ".store");
                MetafedClient client = device(workers, worker, layout, profiles, scale, user, store);
                workerOf.put(user, worker);
                maxRatingCount = Math.max(maxRatingCount, e.getValue().size());
                if (clients.size() < maxOpen) {
                    clients.put(user, client);
                    recordAll(client, e.getValue());
                } else {
                    try (client) {
                        recordAll(client, e.getValue());
                    }
                    dormant.put(user, store);
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * The virtual device of {@code user}: its interaction store at {@code store}, side information from
     * {@code profiles}, and a runtime {@link WorkerRuntimes#boundRuntime bound} to the worker running it (off the
     * workers: worker {@code worker}'s).
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
            builder.collabRuntime(workers.boundCollabRuntime(worker));
        } else {
            builder.runtime(workers.boundRuntime(worker));
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
        return List.copyOf(workerOf.keySet());
    }

    /** Devices reopened for each job rather than kept open (0 below {@code maxOpen} devices). */
    public int dormantDevices() {
        return dormant.size();
    }

    /** {@inheritDoc} The clients run on the workers as {@link Scheduling} says. */
    @Override
    public <R> List<R> map(List<Integer> users, BiFunction<Integer, MetafedClient, R> job) {
        for (int user : users) {
            workerOf(user); // an unknown user fails before any client runs
        }
        List<R> results = new ArrayList<>(java.util.Collections.nCopies(users.size(), null));
        AtomicInteger next = new AtomicInteger();
        // Each index is written by one worker; await's happens-before makes every write visible here.
        workers.onEachWorker(w -> {
            runOn(w, users, next, job, results::set);
            return null;
        });
        return results;
    }

    /**
     * Runs worker {@code w}'s share of {@code job} over {@code users} (as {@link #nextIndex} deals them), handing
     * each result with its index to {@code done}. A round's adaptation ({@link RoundJob}) on a worker with a batched
     * runtime takes {@link WorkerRuntimes#collabGroupSize} clients at a time (the next ones of the shared queue, or
     * its next home clients), adapts them together in one call and then finishes each.
     */
    private <R> void runOn(int w, List<Integer> users, AtomicInteger next, BiFunction<Integer, MetafedClient, R> job,
                           BiConsumer<Integer, R> done) {
        OrtBatchedCollabRuntime batched = workers.batchedCollab(w);
        if (batched == null || !(job instanceof RoundJob<R> roundJob)) {
            for (int i = nextIndex(w, users, next, -1); i >= 0; i = nextIndex(w, users, next, i)) {
                done.accept(i, run(w, users.get(i), job));
            }
            return;
        }
        int group = workers.collabGroupSize();
        int previous = -1;
        while (true) {
            List<Integer> chunk = new ArrayList<>(group);
            if (scheduling == Scheduling.SHARED_QUEUE) {
                int start = next.getAndAdd(group);
                for (int i = start; i < Math.min(users.size(), start + group); i++) {
                    chunk.add(i);
                }
            } else {
                for (int i = nextIndex(w, users, next, previous); i >= 0; i = nextIndex(w, users, next, i)) {
                    chunk.add(i);
                    previous = i;
                    if (chunk.size() == group) {
                        break;
                    }
                }
            }
            if (chunk.isEmpty()) {
                return;
            }
            runGroup(w, users, chunk, roundJob, done);
        }
    }

    /** The clients at {@code chunk}'s indices adapted together on worker {@code w}, then finished one by one. */
    private <R> void runGroup(int w, List<Integer> users, List<Integer> chunk, RoundJob<R> job,
                              BiConsumer<Integer, R> done) {
        List<Integer> chunkUsers = new ArrayList<>(chunk.size());
        List<MetafedClient> chunkClients = new ArrayList<>(chunk.size());
        List<MetafedClient> woken = new ArrayList<>();
        try {
            for (int i : chunk) {
                int user = users.get(i);
                MetafedClient client = clients.get(user);
                if (client == null) {
                    client = device(workers, w, layout, profiles, scale, user, dormant.get(user));
                    woken.add(client);
                }
                chunkUsers.add(user);
                chunkClients.add(client);
            }
            List<Optional<LocalUpdate>> updates = job.round().tryAdaptTogether(chunkUsers, chunkClients,
                    workers.batchedCollab(w));
            for (int k = 0; k < chunk.size(); k++) {
                done.accept(chunk.get(k), job.finish(chunkUsers.get(k), updates.get(k)));
            }
        } finally {
            woken.forEach(MetafedClient::close);
        }
    }

    /**
     * The next index of {@code users} worker {@code w} runs after {@code previous} (-1 at the start), or -1 when
     * it has none left: under the shared queue the next one no worker has taken, else its next home client.
     */
    private int nextIndex(int w, List<Integer> users, AtomicInteger next, int previous) {
        if (scheduling == Scheduling.SHARED_QUEUE) {
            int i = next.getAndIncrement();
            return i < users.size() ? i : -1;
        }
        for (int i = previous + 1; i < users.size(); i++) {
            if (workerOf(users.get(i)) == w) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@inheritDoc} The driver takes each result as soon as it and those before it are done, while the workers
     * adapt the next clients, so its per-result work (the coordinator summing Δ) overlaps theirs instead of
     * waiting for the slowest worker. Under the shared queue the workers take the clients in the list's order, so
     * the results the driver waits for next are the ones being computed. A client's failure is reported as {@link #map} reports it, once every worker
     * has stopped; so is a failure of {@code consumer}, which ends the consuming.
     */
    @Override
    public <R> void forEachInOrder(List<Integer> users, BiFunction<Integer, MetafedClient, R> job,
                                   Consumer<? super R> consumer) {
        for (int user : users) {
            workerOf(user); // an unknown user fails before any client runs, as in map
        }
        List<CompletableFuture<R>> slots = new ArrayList<>(users.size());
        for (int i = 0; i < users.size(); i++) {
            slots.add(new CompletableFuture<>());
        }
        AtomicInteger next = new AtomicInteger();
        List<Future<Void>> running = workers.start(w -> {
            try {
                runOn(w, users, next, job, (i, result) -> slots.get(i).complete(result));
            } catch (RuntimeException | Error e) {
                // Unblocks the driver; the slots already done keep their results.
                slots.forEach(s -> s.completeExceptionally(e));
                throw e;
            }
            return null;
        });
        try {
            for (CompletableFuture<R> slot : slots) {
                R result;
                try {
                    result = slot.join();
                } catch (CompletionException | CancellationException e) {
                    break; // a worker failed: await below reports it
                }
                consumer.accept(result);
            }
        } catch (RuntimeException | Error e) {
            workers.awaitQuietly(running); // no client still runs when the caller sees the failure
            throw e;
        }
        workers.await(running);
    }

    private int workerOf(int user) {
        Integer worker = workerOf.get(user);
        if (worker == null) {
            throw new IllegalArgumentException("no virtual client for user " + user);
        }
        return worker;
    }

    /** {@code job} on {@code user}'s client, on worker {@code w}: its open client, or its dormant one woken. */
    private <R> R run(int w, int user, BiFunction<Integer, MetafedClient, R> job) {
        MetafedClient client = clients.get(user);
        if (client != null) {
            return job.apply(user, client);
        }
        try (MetafedClient woken = device(workers, w, layout, profiles, scale, user, dormant.get(user))) {
            return job.apply(user, woken);
        }
    }

    /**
     * Runs {@code job(worker, clientsOfThatWorker)} on every worker concurrently (a long-running loop per worker,
     * e.g. devices polling a networked coordinator) and returns the results in worker order.
     */
    public <R> List<R> onEachWorker(BiFunction<Integer, Map<Integer, MetafedClient>, R> job) {
        if (!dormant.isEmpty()) {
            throw new IllegalStateException("devices polling a coordinator must all stay open, but " + dormant.size()
                    + " of " + workerOf.size() + " are dormant; build the pool with maxOpen >= " + workerOf.size());
        }
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
        dormant.clear();
    }
}
