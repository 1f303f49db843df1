package io.metafed.sdk.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final RetryPolicy POLICY =
            new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(1), 3.0);

    @Test
    void backoffCap_growsByMultiplierUntilMaxBackoff() {
        assertEquals(Duration.ofMillis(100), POLICY.backoffCap(1));
        assertEquals(Duration.ofMillis(300), POLICY.backoffCap(2));
        assertEquals(Duration.ofMillis(900), POLICY.backoffCap(3));
        assertEquals(Duration.ofSeconds(1), POLICY.backoffCap(4));
        assertEquals(Duration.ofSeconds(1), POLICY.backoffCap(10_000));
    }

    @Test
    void jitteredBackoff_manyDraws_stayWithinZeroAndCap() {
        Random random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            int retry = 1 + i % 5;
            Duration wait = POLICY.jitteredBackoff(retry, random);
            assertTrue(!wait.isNegative() && wait.compareTo(POLICY.backoffCap(retry)) <= 0, wait.toString());
        }
    }

    @Test
    void serverDelay_longerThanMaxBackoff_capped() {
        assertEquals(Duration.ofMillis(500), POLICY.serverDelay(Duration.ofMillis(500)));
        assertEquals(Duration.ofSeconds(1), POLICY.serverDelay(Duration.ofMinutes(5)));
    }

    @Test
    void constructor_invalidValues_rejectedNamingParameter() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 1));
        assertTrue(e.getMessage().startsWith("maxAttempts must be >= 1, found 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(1), 2));
        assertTrue(e.getMessage().startsWith("maxBackoff"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(2, Duration.ZERO, Duration.ZERO, 0.5));
        assertTrue(e.getMessage().startsWith("multiplier"), e.getMessage());
    }
}
