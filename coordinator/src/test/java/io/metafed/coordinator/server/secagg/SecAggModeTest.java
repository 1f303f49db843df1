package io.metafed.coordinator.server.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.security.secagg.SecAggConfig;
import org.junit.jupiter.api.Test;

class SecAggModeTest {

    @Test
    void auto_switchesToSecAggPlusExactlyAtAutoMinClients() {
        SecAggConfig below = SecAggMode.AUTO.config(SecAggMode.AUTO_MIN_CLIENTS - 1, 10, 1, 2);
        SecAggConfig at = SecAggMode.AUTO.config(SecAggMode.AUTO_MIN_CLIENTS, 10, 1, 2);
        assertTrue(below.complete(), below.toString());
        assertEquals((SecAggMode.AUTO_MIN_CLIENTS - 1) / 2 + 1, below.threshold());
        assertFalse(at.complete(), at.toString());
        assertTrue(2 * at.neighbours() <= at.clientCount(), at.toString());
        assertEquals(2L, at.graphSeed());
    }

    @Test
    void auto_smallRoundsAreBonawitzAsBefore() {
        assertEquals(SecAggConfig.majority(16, 10, 3), SecAggMode.AUTO.config(16, 10, 3, 99));
    }

    @Test
    void secAggPlus_atN500_usesTheTailBoundChoice() {
        SecAggConfig c = SecAggMode.SECAGG_PLUS.config(500, 10, 1, 7);
        assertEquals(142, c.neighbours());
        assertEquals(72, c.threshold());
        // Below the size where a sparse graph meets the bounds, "secagg-plus" is the complete graph.
        assertTrue(SecAggMode.SECAGG_PLUS.config(50, 10, 1, 7).complete());
    }

    @Test
    void bonawitz_isTheCompleteGraphAtAnySize() {
        SecAggConfig c = SecAggMode.BONAWITZ.config(500, 10, 1, 7);
        assertTrue(c.complete());
        assertEquals(251, c.threshold());
    }

    @Test
    void parse_roundTripsWireNamesAndRefusesOthers() {
        for (SecAggMode m : SecAggMode.values()) {
            assertEquals(m, SecAggMode.parse(m.wireName()));
        }
        assertEquals("secagg-plus", SecAggMode.SECAGG_PLUS.wireName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SecAggMode.parse("plus"));
        assertTrue(e.getMessage().contains("got plus"), e.getMessage());
    }
}
