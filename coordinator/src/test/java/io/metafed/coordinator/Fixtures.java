package io.metafed.coordinator;

import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.algorithm.LocalTraining;
import io.metafed.coordinator.aggregate.AggregationRule;
import io.metafed.coordinator.aggregate.Reptile;
import io.metafed.coordinator.model.CheckpointStore;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.coordinator.round.ClientUpdate;
import io.metafed.coordinator.round.RoundConfig;
import io.metafed.model.features.FeatureSchema;
import io.metafed.model.features.FieldSpec;
import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ParamVector;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/** Small layouts, configs and coordinators shared by the coordinator tests. */
final class Fixtures {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    static final LocalTraining CLIENT = LocalTraining.builder(FederatedAlgorithm.FEDREPTILE).steps(5)
            .learningRate(0.01).batchSize(32).build();

    private Fixtures() {
    }

    /** One 2-value field, 1-d embeddings, one hidden unit: emb 2 + fc1 1+1 + out 1+1 = 6 parameters. */
    static ParamLayout tinyLayout() {
        FeatureSchema schema = new FeatureSchema(List.of(new FieldSpec("a", 2, false)));
        ParamLayout layout = ParamLayout.of(new ModelConfig(schema, 1, List.of(1)));
        if (layout.size() != 6) {
            throw new AssertionError("tiny layout should have 6 parameters, found " + layout.size());
        }
        return layout;
    }

    /** MeLU-sized layout (about 19k parameters) for the concurrency test. */
    static ParamLayout meluLayout() {
        return ParamLayout.of(ModelConfig.melu(FeatureSchema.standard(21, 19)));
    }

    static CoordinatorConfig config(RoundConfig rounds, AggregationRule rule) {
        return new CoordinatorConfig(rounds, CLIENT, rule);
    }

    /** A coordinator on {@code theta} with clients c0..c{clients−1} checked in. */
    static Coordinator coordinator(ParamLayout layout, float[] theta, CoordinatorConfig config,
            CheckpointStore store, int clients) {
        Coordinator c = new Coordinator(layout, theta, config, store, CLOCK);
        for (int i = 0; i < clients; i++) {
            c.checkIn("c" + i);
        }
        return c;
    }

    static Coordinator tinyReptile(double epsilon, RoundConfig rounds, int clients) {
        return coordinator(tinyLayout(), new float[6], config(rounds, Reptile.constant(epsilon)),
                new InMemoryCheckpointStore(), clients);
    }

    /** What one thread does with one update of {@link #fromThreads}. */
    @FunctionalInterface
    interface UpdateAction {
        void accept(ClientUpdate update) throws Exception;
    }

    /**
     * Splits {@code work} into {@code threads} contiguous slices and starts one task per slice on {@code pool}; every
     * task waits for {@code start} and then applies {@code action} to its updates in order. The caller counts
     * {@code start} down (after starting anything else that must race them) and waits on the returned futures.
     */
    static List<Future<?>> fromThreads(ExecutorService pool,
            List<ClientUpdate> work, int threads, CountDownLatch start, UpdateAction action) {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<ClientUpdate> mine = work.subList(t * work.size() / threads, (t + 1) * work.size() / threads);
            futures.add(pool.submit(() -> {
                start.await();
                for (ClientUpdate u : mine) {
                    action.accept(u);
                }
                return null;
            }));
        }
        return futures;
    }

    /** A well-formed update for {@code task}. */
    static ClientUpdate update(RoundTask task, String client, float[] delta, double weight) {
        return new ClientUpdate(client, task.roundId(), task.modelVersion(), task.layoutId(), delta, weight);
    }

    /** A well-formed update for {@code task} that hands {@code delta} over as is. */
    static ClientUpdate update(RoundTask task, String client, ParamVector delta, double weight) {
        return new ClientUpdate(client, task.roundId(), task.modelVersion(), task.layoutId(), delta, weight);
    }
}
