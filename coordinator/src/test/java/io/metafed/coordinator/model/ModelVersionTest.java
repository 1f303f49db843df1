package io.metafed.coordinator.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.aggregate.OptimizerState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelVersionTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC);
    private static final Provenance INITIAL = Provenance.initial(Map.of("rule", "reptile"), 0x1234L, CLOCK);

    @Test
    void params_mutatingInputOrOutput_doesNotChangeVersion() {
        float[] in = {1, 2, 3};
        ModelVersion v = new ModelVersion(0, -1, in, INITIAL);
        in[0] = 99;
        v.params()[1] = 99;
        assertArrayEquals(new float[] {1, 2, 3}, v.params());
    }

    @Test
    void constructor_nonFiniteParams_rejectedWithIndex() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ModelVersion(0, -1, new float[] {0, Float.NaN}, INITIAL));
        assertTrue(e.getMessage().contains("params[1]"), e.getMessage());
    }

    @Test
    void constructor_roundDisagreesWithProvenance_rejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ModelVersion(1, 3, new float[1], INITIAL));
        assertTrue(e.getMessage().contains("provenance.round() -1, found 3"), e.getMessage());
    }

    @Test
    void equals_sameContent_equalAndHashAlike() {
        ModelVersion a = new ModelVersion(0, -1, new float[] {1, 2}, INITIAL);
        ModelVersion b = new ModelVersion(0, -1, new float[] {1, 2}, INITIAL);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertTrue(a.toString().contains("float[2]"), a.toString());
    }

    @Test
    void provenance_ofRound_capturesClockPlatformAndSortedHyperparameters() {
        Provenance p = Provenance.ofRound(4, 3, 120.5, Map.of("b", "2", "a", "1"), 0x1234L, CLOCK);
        assertEquals(CLOCK.instant(), p.createdAt());
        assertEquals(0x1234L, p.layoutId());
        assertEquals("a", p.hyperparameters().firstKey());
        assertEquals(System.getProperty("os.arch"), p.arch());
        assertTrue(p.libraryVersion().matches("\\d+\\.\\d+.*"), p.libraryVersion());
        assertThrows(UnsupportedOperationException.class, () -> p.hyperparameters().put("c", "3"));
    }

    @Test
    void provenance_roundWithoutParticipants_rejected() {
        assertThrows(IllegalArgumentException.class, () -> Provenance.ofRound(2, 0, 0, Map.of(), 1L, CLOCK));
        assertThrows(IllegalArgumentException.class, () -> Provenance.ofRound(-2, 1, 1, Map.of(), 1L, CLOCK));
        assertThrows(IllegalArgumentException.class, () -> Provenance.ofRound(1, 1, Double.NaN, Map.of(), 1L, CLOCK));
    }

    @Test
    void inMemoryStore_saveAndLatest_keepsNewestAndRefusesOlderVersion() {
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        assertTrue(store.latest().isEmpty());
        Provenance p1 = Provenance.ofRound(0, 1, 1, Map.of(), 1L, CLOCK);
        ModelVersion v1 = new ModelVersion(1, 0, new float[] {1}, p1);
        store.save(v1, OptimizerState.Empty.INSTANCE);
        assertEquals(v1, store.latest().orElseThrow());
        var e = assertThrows(IllegalArgumentException.class, () -> store.save(v1, OptimizerState.Empty.INSTANCE));
        assertTrue(e.getMessage().contains("latest stored version 1, found 1"), e.getMessage());
        assertEquals(1, store.versions().size());
    }
}
