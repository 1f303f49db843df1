package io.metafed.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.aggregate.EpsilonSchedule;
import io.metafed.coordinator.aggregate.Momentum;
import io.metafed.coordinator.aggregate.OptimizerState;
import io.metafed.coordinator.aggregate.Reptile;
import io.metafed.coordinator.model.CheckpointStore;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.coordinator.model.ModelVersion;
import io.metafed.coordinator.round.RoundConfig;
import io.metafed.coordinator.round.RoundState;
import io.metafed.coordinator.round.RoundStatus;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A failed round, whatever the cause, leaves θ, its version, the optimizer state and the store unchanged. */
class FailedRoundTest {
    private static final float[] THETA = {0, 1, 2, 3, 4, 5};
    private static final float[] ONES = {1, 1, 1, 1, 1, 1};

    @Test
    void closeRound_fewerThanMinUpdates_failsAndKeepsModel() {
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        Coordinator c = Fixtures.coordinator(Fixtures.tinyLayout(), THETA,
                Fixtures.config(RoundConfig.of(3, 2, 1), Reptile.constant(1)), store, 3);
        ModelVersion before = c.currentModel();
        RoundTask task = c.openRound();
        c.submit(Fixtures.update(task, task.selectedClients().get(0), ONES, 1));

        RoundResult.Failed failed = assertInstanceOf(RoundResult.Failed.class, c.closeRound());
        assertTrue(failed.reason().contains("received 1 updates, expected at least minUpdates=2"), failed.reason());
        assertEquals(1, failed.accepted());
        assertEquals(0, failed.modelVersion());
        assertSame(before, c.currentModel());
        assertArrayEquals(THETA, c.currentModel().params());
        assertTrue(store.versions().isEmpty());
        RoundStatus status = c.roundStatus().orElseThrow();
        assertEquals(RoundState.FAILED, status.state());
        assertEquals(Optional.of(failed.reason()), status.failure());
    }

    @Test
    void closeRound_saveFailsAfterMomentumStep_doesNotAdoptOptimizerState() {
        var config = Fixtures.config(RoundConfig.of(1, 1, 1),
                new Reptile(new EpsilonSchedule.Constant(0.1), new Momentum(0.9)));
        FlakyStore flaky = new FlakyStore(2); // the second save fails: the momentum step is computed, then dropped
        Coordinator withFailure = Fixtures.coordinator(Fixtures.tinyLayout(), THETA, config, flaky, 1);
        Coordinator without = Fixtures.coordinator(Fixtures.tinyLayout(), THETA, config,
                new InMemoryCheckpointStore(), 1);
        float[] second = {2, -1, 0, 0, 3, 1};

        runRound(withFailure, ONES);
        RoundTask failing = withFailure.openRound();
        withFailure.submit(Fixtures.update(failing, "c0", new float[] {9, 9, 9, 9, 9, 9}, 1));
        assertInstanceOf(RoundResult.Failed.class, withFailure.closeRound());
        ModelVersion a = runRound(withFailure, second);

        runRound(without, ONES);
        ModelVersion b = runRound(without, second);

        assertArrayEquals(b.params(), a.params());
        assertEquals(2, a.version());
        assertEquals(2, a.round()); // the failed round still used round id 1
    }

    @Test
    void closeRound_checkpointSaveFails_failsAndKeepsModel() {
        CheckpointStore broken = new CheckpointStore() {
            @Override
            public void save(ModelVersion model, OptimizerState optimizerState) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public Optional<ModelVersion> latest() {
                return Optional.empty();
            }

            @Override
            public Optional<OptimizerState> optimizerState(long version) {
                return Optional.empty();
            }
        };
        Coordinator c = Fixtures.coordinator(Fixtures.tinyLayout(), THETA,
                Fixtures.config(RoundConfig.of(1, 1, 1), Reptile.constant(1)), broken, 1);
        RoundTask task = c.openRound();
        c.submit(Fixtures.update(task, "c0", ONES, 1));
        RoundResult.Failed failed = assertInstanceOf(RoundResult.Failed.class, c.closeRound());
        assertTrue(failed.reason().contains("disk full"), failed.reason());
        assertEquals(0, c.currentModel().version());
        assertArrayEquals(THETA, c.currentModel().params());
    }

    @Test
    void closeRound_aggregateOverflowsFloat_failsAndKeepsModel() {
        float[] big = {3e38f, 0, 0, 0, 0, 0};
        Coordinator c = Fixtures.coordinator(Fixtures.tinyLayout(), big,
                Fixtures.config(RoundConfig.of(1, 1, 1), Reptile.constant(1)), new InMemoryCheckpointStore(), 1);
        RoundTask task = c.openRound();
        c.submit(Fixtures.update(task, "c0", big, 1)); // 3e38 + 1·3e38 overflows float to +Infinity
        RoundResult.Failed failed = assertInstanceOf(RoundResult.Failed.class, c.closeRound());
        assertTrue(failed.reason().contains("must be finite"), failed.reason());
        assertArrayEquals(big, c.currentModel().params());
        assertEquals(0, c.currentModel().version());
    }

    /** Stores in memory but throws on save number {@code failOn} (1-based). */
    private static final class FlakyStore implements CheckpointStore {
        private final InMemoryCheckpointStore delegate = new InMemoryCheckpointStore();
        private final int failOn;
        private int saves;

        FlakyStore(int failOn) {
            this.failOn = failOn;
        }

        @Override
        public synchronized void save(ModelVersion model, OptimizerState optimizerState) throws IOException {
            if (++saves == failOn) {
                throw new IOException("injected failure on save " + saves);
            }
            delegate.save(model, optimizerState);
        }

        @Override
        public Optional<ModelVersion> latest() {
            return delegate.latest();
        }

        @Override
        public Optional<OptimizerState> optimizerState(long version) {
            return delegate.optimizerState(version);
        }
    }

    private static ModelVersion runRound(Coordinator c, float[] delta) {
        RoundTask task = c.openRound();
        c.submit(Fixtures.update(task, task.selectedClients().get(0), delta, 1));
        return assertInstanceOf(RoundResult.Aggregated.class, c.closeRound()).model();
    }
}
