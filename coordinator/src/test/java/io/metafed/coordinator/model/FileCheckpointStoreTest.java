package io.metafed.coordinator.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void saveThenLatest_newStoreOnSameDirectory_returnsNewestVersionWithProvenance() throws IOException {
        new FileCheckpointStore(dir, LAYOUT).save(version(1, 1));
        new FileCheckpointStore(dir, LAYOUT).save(version(2, 2));
        ModelVersion latest = new FileCheckpointStore(dir, LAYOUT).latest().orElseThrow();
        assertEquals(2, latest.version());
        assertArrayEquals(version(2, 2).params(), latest.params());
        assertEquals(version(2, 2).provenance(), latest.provenance());
    }

    @Test
    void save_notNewerVersion_isRefused() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(dir, LAYOUT);
        store.save(version(3, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.save(version(3, 2)));
        assertTrue(e.getMessage().contains("greater than the latest stored 3, found 3"), e.getMessage());
    }

    @Test
    void latest_damagedNewestFile_fallsBackToPreviousValidVersion() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(dir, LAYOUT);
        store.save(version(1, 1));
        store.save(version(2, 2));
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
        new FileCheckpointStore(dir, LAYOUT).save(version(1, 1));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
