package io.metafed.coordinator.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NonceCacheTest {
    private static final long START = 1_000_000;
    private static final long WINDOW = 300_000;

    @Test
    void firstUse_sameNonceTwice_secondRefused() {
        NonceCache cache = new NonceCache(WINDOW, 8, START);
        assertTrue(cache.firstUse("a", "n1", START + 1, START + 1));
        assertFalse(cache.firstUse("a", "n1", START + 1, START + 2));
        assertTrue(cache.firstUse("b", "n1", START + 1, START + 2), "nonces are per client");
    }

    @Test
    void firstUse_signedBeforeStart_refused() {
        assertFalse(new NonceCache(WINDOW, 8, START).firstUse("a", "n", START - 1, START));
    }

    @Test
    void firstUse_capacityExceeded_evictedTimestampsBecomeWatermark() {
        NonceCache cache = new NonceCache(WINDOW, 2, START);
        assertTrue(cache.firstUse("a", "n1", START + 10, START + 10));
        assertTrue(cache.firstUse("a", "n2", START + 20, START + 20));
        assertTrue(cache.firstUse("a", "n3", START + 30, START + 30)); // evicts n1, watermark 10
        assertFalse(cache.firstUse("a", "n1", START + 10, START + 31), "forgotten nonce still refused");
        assertFalse(cache.firstUse("a", "n4", START + 5, START + 31), "older than the watermark");
        assertTrue(cache.firstUse("a", "n5", START + 31, START + 31));
    }

    @Test
    void sweep_idleClientsPastWindow_forgotten() {
        NonceCache cache = new NonceCache(WINDOW, 8, START);
        for (int i = 0; i < 100; i++) {
            assertTrue(cache.firstUse("c" + i, "n", START + 1, START + 1));
        }
        long later = START + 2 * WINDOW;
        for (int i = 0; i < 4_096; i++) {
            cache.firstUse("busy", "m" + i, later, later);
        }
        assertEquals(1, cache.clientsTracked());
    }
}
