package io.metafed.coordinator.server.auth;

import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Token buckets by key (a source address, a token name): each holds up to {@code burst} permits and refills at
 * {@code burst} per minute, on the given clock (tests move it by hand). At most {@value #MAX_KEYS} keys are
 * tracked; when full, buckets that refilled completely are dropped (they carry no state), so a flood of source
 * addresses cannot grow memory. Thread-safe.
 */
public final class RateLimiter {
    static final int MAX_KEYS = 100_000;
    private static final long MINUTE_MILLIS = 60_000;
    private final int burst;
    private final Clock clock;
    private final Map<String, double[]> buckets = new HashMap<>(); // key -> {permits, lastRefillMillis}

    /** @param burst permits per bucket and per minute; 0: unlimited */
    public RateLimiter(int burst, Clock clock) {
        if (burst < 0) {
            throw new IllegalArgumentException("burst must be >= 0, found " + burst);
        }
        this.burst = burst;
        this.clock = clock;
    }

    /**
     * Takes one permit for {@code key}.
     *
     * @return 0 when granted, else the milliseconds until a permit is available (nothing taken)
     */
    public synchronized long tryAcquire(String key) {
        if (burst == 0) {
            return 0;
        }
        long now = clock.millis();
        double[] b = buckets.get(key);
        if (b == null) {
            if (buckets.size() >= MAX_KEYS) {
                evictFull(now);
            }
            b = new double[] {burst, now};
            buckets.put(key, b);
        }
        refill(b, now);
        if (b[0] >= 1) {
            b[0] -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - b[0]) * MINUTE_MILLIS / burst));
    }

    private void refill(double[] b, long now) {
        long elapsed = Math.max(0, now - (long) b[1]);
        b[0] = Math.min(burst, b[0] + elapsed * (double) burst / MINUTE_MILLIS);
        b[1] = now;
    }

    private void evictFull(long now) {
        for (Iterator<double[]> it = buckets.values().iterator(); it.hasNext(); ) {
            double[] b = it.next();
            refill(b, now);
            if (b[0] >= burst) {
                it.remove();
            }
        }
        if (buckets.size() >= MAX_KEYS) {
            buckets.clear(); // every tracked key is mid-burst: forgetting them errs towards letting devices in
        }
    }
}
