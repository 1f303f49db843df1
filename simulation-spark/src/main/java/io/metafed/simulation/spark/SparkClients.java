package io.metafed.simulation.spark;

import io.metafed.model.data.Interaction;
import io.metafed.sdk.MetafedClient;
import io.metafed.simulation.federation.ClientExecution;
import io.metafed.simulation.federation.ClientRound;
import io.metafed.simulation.federation.ClientSetup;
import io.metafed.simulation.federation.UpdateSum;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Virtual clients on Spark executors. Their ratings are partitioned once by user (hash) and cached where they
 * are; the catalogue goes out once as a broadcast. Each round broadcasts θ, the task and the selection; every
 * partition adapts its selected clients on its thread's runtime and folds their updates into one
 * {@link UpdateSum}, and treeAggregate combines those on the executors, so one vector per partition travels and the
 * driver receives one sum. The coordinator validates it and applies its rule ({@code submitSecureAggregate}).
 *
 * <p>A lost task is simply run again: each client's Δ is a pure function of (θ, its ratings, its seed from run
 * seed, round and user), so the retry computes the same partial sum, and Spark counts only one attempt's result.
 */
final class SparkClients implements ClientExecution {
    private static final Logger LOG = LoggerFactory.getLogger(SparkClients.class);

    private final JavaSparkContext sc;
    private final boolean local;
    private final List<Integer> users;
    private final Set<Integer> known;
    private final int maxRatingCount;
    private final int size;
    private final long layoutId;
    private final String run = UUID.randomUUID().toString();
    private final Broadcast<ClientContext> context;
    private final JavaRDD<ClientData> clients;
    /** Fault injection for the retry test: the partition whose first attempt throws mid-way, or -1. */
    private volatile int failFirstAttemptOf = -1;

    SparkClients(JavaSparkContext sc, ClientSetup setup, int partitions, boolean local) {
        this.sc = sc;
        this.local = local;
        this.users = List.copyOf(setup.ratingsByUser().keySet());
        this.known = Set.copyOf(users);
        this.size = setup.layout().size();
        this.layoutId = setup.layout().id();
        List<Tuple2<Integer, ClientData>> data = new ArrayList<>(users.size());
        int max = 0;
        for (Map.Entry<Integer, List<Interaction>> e : setup.ratingsByUser().entrySet()) {
            data.add(new Tuple2<>(e.getKey(), ClientData.of(e.getKey(), e.getValue())));
            max = Math.max(max, e.getValue().size());
        }
        this.maxRatingCount = max;
        this.context = sc.broadcast(ClientContext.of(run, setup));
        // Partitioned by user once: later rounds' tasks carry a partition id, not data, and read the cached block.
        // The first stage ships the data inside its tasks: slices of ~5,000 clients keep each task well under Spark's
        // recommended 1 MiB.
        JavaPairRDD<Integer, ClientData> byUser = sc.parallelizePairs(data,
                        Math.max(partitions, data.size() / 5_000 + 1))
                .partitionBy(new HashPartitioner(partitions));
        this.clients = byUser.values().setName("metafed-clients-" + run).persist(StorageLevel.MEMORY_AND_DISK());
        long start = System.nanoTime();
        Broadcast<ClientContext> ctx = context;
        long opened;
        try {
            // Opens every device once where its data now lives: imports its history into its store, as ClientPool
            // does at construction, and opens each task thread's runtime, so round 1 is timed like every later one.
            opened = clients.map(c -> ExecutorSide.withDevice(ctx.value(), c, (p, d) -> d.ratingCount())).count();
        } catch (RuntimeException e) {
            close(); // e.g. an executor rebuilt another layout: release the cache and broadcast before reporting it
            throw e;
        }
        LOG.info("{} clients in {} partitions cached and opened in {} ms", opened, partitions,
                (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public List<Integer> users() {
        return users;
    }

    @Override
    public int maxRatingCount() {
        return maxRatingCount;
    }

    @Override
    public boolean sumsUpdates() {
        return true;
    }

    /** Partitions of the cached client data. */
    int partitions() {
        return clients.getNumPartitions();
    }

    /** Bytes Spark's block manager holds for the cached client data, over all executors (memory and disk). */
    long cachedBytes() {
        return Arrays.stream(sc.sc().getRDDStorageInfo()).filter(i -> i.id() == clients.id())
                .mapToLong(i -> i.memSize() + i.diskSize()).sum();
    }

    /** Bytes of this population's device stores in this JVM (local mode: all of them). */
    long storeBytes() {
        return ExecutorSide.storeBytes(run);
    }

    /** Makes the first attempt of {@code partition}'s next tasks fail after its first client (retry test). */
    void failFirstAttemptOf(int partition) {
        this.failFirstAttemptOf = partition;
    }

    @Override
    public UpdateSum adaptAndSum(List<Integer> selected, ClientRound round) {
        if (round.global().layoutId() != layoutId) {
            throw new IllegalArgumentException("round model must have layout " + Long.toHexString(layoutId)
                    + ", found " + Long.toHexString(round.global().layoutId()));
        }
        int[] sorted = selection(selected);
        Broadcast<ClientContext.Round> b = sc.broadcast(new ClientContext.Round(round.roundId(),
                round.global().version(), round.global().params(), ClientContext.Training.of(round.training()), sorted,
                round.seed()));
        try {
            UpdateSum sum = clients.treeAggregate(new UpdateSum(size), seqOp(context, b, failFirstAttemptOf),
                    UpdateSum::merge, 2);
            int seen = sum.count() + sum.droppedUsers().size();
            if (seen != sorted.length) {
                // Each selected client is in exactly one partition, whose result Spark counts once.
                throw new IllegalStateException("round " + round.roundId() + " selected " + sorted.length
                        + " clients, but " + seen + " were adapted");
            }
            return sum;
        } finally {
            b.destroy();
        }
    }

    /** The per-client step, built in a static method so its closure holds only what it names (no {@code this}). */
    private static Function2<UpdateSum, ClientData, UpdateSum> seqOp(Broadcast<ClientContext> ctx,
                                                                    Broadcast<ClientContext.Round> round,
                                                                    int failPartition) {
        return (sum, client) -> {
            TaskContext task = TaskContext.get();
            if (task != null && task.partitionId() == failPartition && task.attemptNumber() == 0 && sum.count() > 0) {
                throw new IllegalStateException("injected failure of partition " + failPartition + ", attempt 0,"
                        + " after " + sum.count() + " clients");
            }
            return ExecutorSide.adaptInto(ctx.value(), round.value(), sum, client);
        };
    }

    /**
     * {@inheritDoc} On Spark the job runs on the executors, so it must be {@link Serializable} and so must its
     * results; FederatedTraining never asks (it asks for sums).
     */
    @Override
    public <R> List<R> map(List<Integer> selected, BiFunction<Integer, MetafedClient, R> job) {
        if (!(job instanceof Serializable)) {
            throw new IllegalArgumentException("a job for Spark executors must be Serializable, found "
                    + job.getClass().getName());
        }
        int[] sorted = selection(selected);
        Broadcast<ClientContext> ctx = context;
        List<Tuple2<Integer, R>> done = clients.filter(c -> Arrays.binarySearch(sorted, c.user()) >= 0)
                .map(c -> new Tuple2<>(c.user(), ExecutorSide.withDevice(ctx.value(), c,
                        (p, d) -> job.apply(c.user(), d))))
                .collect();
        Map<Integer, R> byUser = new HashMap<>();
        done.forEach(t -> byUser.put(t._1(), t._2()));
        List<R> results = new ArrayList<>(selected.size());
        for (int user : selected) {
            results.add(byUser.get(user));
        }
        return results;
    }

    private int[] selection(List<Integer> selected) {
        int[] sorted = selected.stream().mapToInt(Integer::intValue).sorted().toArray();
        for (int i = 0; i < sorted.length; i++) {
            if (!known.contains(sorted[i])) {
                throw new IllegalArgumentException("no virtual client for user " + sorted[i]);
            }
            if (i > 0 && sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("user " + sorted[i] + " is selected twice");
            }
        }
        return sorted;
    }

    @Override
    public void close() {
        clients.unpersist(false);
        context.destroy();
        if (local) {
            ExecutorSide.release(run); // the executors are this JVM: drop the population's caches and stores now
        }
    }
}
