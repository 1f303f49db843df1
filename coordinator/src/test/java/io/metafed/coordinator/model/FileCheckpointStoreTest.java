package io.metafed.coordinator.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.aggregate.Adam;
import io.metafed.coordinator.aggregate.Momentum;
import io.metafed.coordinator.aggregate.OptimizerState;
import io.metafed.coordinator.aggregate.ServerOptimizer;
import io.metafed.model.features.FeatureSchema;
import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ParamInitializer;
import io.metafed.model.nn.ParamLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCheckpointStoreTest {
    private static final ParamLayout LAYOUT = ParamLayout.of(ModelConfig.melu(FeatureSchema.standard(21, 19)));
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static ModelVersion version(long v, long seed) {
        Provenance p = Provenance.ofRound((int) v - 1, 7, 123.5, Map.of("rule", "reptile", "epsilon", "1.0"),
                LAYOUT.id(), CLOCK);
        return new ModelVersion(v, (int) v - 1, ParamInitializer.initialize(LAYOUT, seed, 3.5f), p);
    }

    /** Momentum state after two steps on random gradients, so no value is a round number. */
    private static Momentum.State momentum(long seed) {
        return (Momentum.State) twoSteps(new Momentum(0.9), seed);
    }

    private static OptimizerState twoSteps(ServerOptimizer optimizer, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        OptimizerState state = optimizer.initialState(LAYOUT.size());
        for (int step = 0; step < 2; step++) {
            state = optimizer.step(random.doubles(LAYOUT.size(), -1, 1).toArray(), 0.1, state).next();
        }
        return state;
    }

    @Test
    void saveThenLatest_newStoreOnSameDirectory_returnsNewestVersionWithProvenance() throws IOException {
        new FileCheckpointStore(dir, LAYOUT).save(version(1, 1), OptimizerState.Empty.INSTANCE);
        new FileCheckpointStore(dir, LAYOUT).save(version(2, 2), OptimizerState.Empty.INSTANCE);
        ModelVersion latest = new FileCheckpointStore(dir, LAYOUT).latest().orElseThrow();
        assertEquals(2, latest.version());
        assertArrayEquals(version(2, 2).params(), latest.params());
        assertEquals(version(2, 2).provenance(), latest.provenance());
    }

    @Test
    void save_notNewerVersion_isRefused() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(dir, LAYOUT);
        store.save(version(3, 1), OptimizerState.Empty.INSTANCE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.save(version(3, 2), OptimizerState.Empty.INSTANCE));
        assertTrue(e.getMessage().contains("greater than the latest stored 3, found 3"), e.getMessage());
    }

    @Test
    void latest_damagedNewestFile_fallsBackToPreviousValidVersion() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(dir, LAYOUT);
        store.save(version(1, 1), OptimizerState.Empty.INSTANCE);
        store.save(version(2, 2), OptimizerState.Empty.INSTANCE);
        Path newest = dir.resolve("model-000000000002.mfwt");
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 1;
        Files.write(newest, bytes);
        assertEquals(1, store.latest().orElseThrow().version());
    }

    @Test
    void latest_emptyDirectory_isEmpty() throws IOException {
        assertTrue(new FileCheckpointStore(dir, LAYOUT).latest().isEmpty());
    }

    @Test
    void save_leavesNoTemporaryFiles() throws IOException {
        new FileCheckpointStore(dir, LAYOUT).save(version(1, 1), OptimizerState.Empty.INSTANCE);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void saveWithAdamState_newStoreOnSameDirectory_returnsThatStateBitForBit() throws IOException {
        Adam.State saved = (Adam.State) twoSteps(Adam.defaults(), 5);
        new FileCheckpointStore(dir, LAYOUT).save(version(1, 1), saved);
        Adam.State read = (Adam.State) new FileCheckpointStore(dir, LAYOUT).optimizerState(1).orElseThrow();
        assertEquals(2, read.steps());
        for (int j = 0; j < LAYOUT.size(); j++) {
            assertEquals(saved.firstMoment(j), read.firstMoment(j), 0.0);
            assertEquals(saved.secondMoment(j), read.secondMoment(j), 0.0);
        }
        assertTrue(Files.exists(dir.resolve("optimizer-000000000001.mfos")));
    }

    @Test
    void optimizerState_statelessOptimizerOrUnknownVersion_isEmpty() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(dir, LAYOUT);
        store.save(version(1, 1), OptimizerState.Empty.INSTANCE);
        assertTrue(store.optimizerState(1).isEmpty());
        assertTrue(store.optimizerState(2).isEmpty());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no optimizer file for a stateless optimizer");
        }
    }

    /** The state is written first: if it cannot be written, no model file claims a checkpoint. */
    @Test
    void save_optimizerStateUnwritable_failsWithoutWritingTheModel() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(dir, LAYOUT);
        double[] overflow = new double[LAYOUT.size()];
        overflow[3] = Double.POSITIVE_INFINITY;
        Momentum m = new Momentum(0.9);
        OptimizerState infinite = m.step(overflow, 1, m.initialState(LAYOUT.size())).next();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.save(version(1, 1), infinite));
        assertTrue(e.getMessage().contains("velocity[3] must be finite"), e.getMessage());
        assertTrue(store.latest().isEmpty());
    }

    /** A leftover state file of a failed save must not pass for the state of a stateless save of that version. */
    @Test
    void save_statelessAfterALeftoverStateFile_removesIt() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(dir, LAYOUT);
        store.save(version(1, 1), momentum(1));
        Files.copy(dir.resolve("optimizer-000000000001.mfos"), dir.resolve("optimizer-000000000002.mfos"));
        store.save(version(2, 2), OptimizerState.Empty.INSTANCE);
        assertTrue(store.optimizerState(2).isEmpty());
    }

    @Test
    void optimizerState_damagedFile_refusedNamingTheFile() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(dir, LAYOUT);
        store.save(version(1, 1), momentum(1));
        Path file = dir.resolve("optimizer-000000000001.mfos");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.optimizerState(1));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("checksum"), e.getMessage());
        assertEquals(1, store.latest().orElseThrow().version(), "the model itself is still served");
    }

    @Test
    void save_stateOfAnotherSize_refused() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(dir, LAYOUT);
        OptimizerState small = new Momentum(0.9).initialState(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.save(version(1, 1), small));
        assertTrue(e.getMessage().contains("must cover " + LAYOUT.size() + " parameters, found 3"), e.getMessage());
    }
}
