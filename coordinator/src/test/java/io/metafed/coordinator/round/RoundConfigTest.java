package io.metafed.coordinator.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RoundConfigTest {

    @Test
    void selectionSize_overSelection_roundsUp() {
        assertEquals(13, new RoundConfig(10, 5, 1.3, 0).selectionSize()); // ⌈10·1.3⌉ = 13
        assertEquals(4, new RoundConfig(3, 1, 1.1, 0).selectionSize());   // ⌈3.3⌉ = 4
        assertEquals(3, RoundConfig.of(3, 1, 0).selectionSize());
    }

    @Test
    void constructor_minUpdatesAboveClientsPerRound_rejectedWithExpectedAndFound() {
        var e = assertThrows(IllegalArgumentException.class, () -> RoundConfig.of(3, 4, 0));
        assertTrue(e.getMessage().contains("minUpdates must be <= clientsPerRound (3), found 4"), e.getMessage());
    }

    @Test
    void constructor_invalidValues_rejectedNamingParameter() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RoundConfig.of(0, 1, 0)).getMessage()
                .contains("clientsPerRound"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RoundConfig.of(2, 0, 0)).getMessage()
                .contains("minUpdates"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RoundConfig(2, 1, 0.9, 0)).getMessage()
                .contains("overSelection"));
        assertThrows(IllegalArgumentException.class, () -> new RoundConfig(2, 1, Double.NaN, 0));
    }

    @Test
    void canMoveTo_stateMachineEdges_onlyDocumentedTransitions() {
        assertTrue(RoundState.OPEN.canMoveTo(RoundState.COLLECTING));
        assertTrue(RoundState.OPEN.canMoveTo(RoundState.FAILED));
        assertFalse(RoundState.OPEN.canMoveTo(RoundState.AGGREGATED));
        assertTrue(RoundState.COLLECTING.canMoveTo(RoundState.AGGREGATED));
        assertTrue(RoundState.COLLECTING.canMoveTo(RoundState.FAILED));
        for (RoundState next : RoundState.values()) {
            assertFalse(RoundState.AGGREGATED.canMoveTo(next));
            assertFalse(RoundState.FAILED.canMoveTo(next));
        }
    }
}
