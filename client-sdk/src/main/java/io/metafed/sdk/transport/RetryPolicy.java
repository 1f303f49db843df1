package io.metafed.sdk.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * How often and how patiently a transport repeats a call that failed transiently: at most
 * {@code maxAttempts} attempts in all; before retry {@code r} (1-based) it waits a uniformly random time in
 * [0, min(maxBackoff, initialBackoff × multiplier^(r−1))] ("full jitter"), so devices that failed together do
 * not come back together. A server's {@code Retry-After} replaces the random wait, capped at {@code maxBackoff}.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier) {
    /** 5 attempts, 200 ms doubling up to 10 s: about 3 s of expected waiting before giving up. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(10), 2.0);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, found " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative()) {
            throw new IllegalArgumentException("initialBackoff must be >= 0, found " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must be >= initialBackoff (" + initialBackoff
                    + "), found " + maxBackoff);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be finite and >= 1, found " + multiplier);
        }
    }

    /** A single attempt: failures are reported at once. */
    public static RetryPolicy noRetries() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0);
    }

    /** The upper bound of the wait before retry {@code retry} (1 = the second attempt). */
    public Duration backoffCap(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be >= 1, found " + retry);
        }
        // In double nanos so a large exponent saturates at maxBackoff instead of overflowing.
        double nanos = initialBackoff.toNanos() * Math.pow(multiplier, retry - 1);
        long max = maxBackoff.toNanos();
        return Duration.ofNanos(nanos >= max ? max : (long) nanos);
    }

    /**
     * A full-jitter wait before retry {@code retry}: uniform in [0, {@link #backoffCap}] (to the nanosecond),
     * from {@code random.nextDouble()}.
     */
    public Duration jitteredBackoff(int retry, Random random) {
        long cap = backoffCap(retry).toNanos();
        return Duration.ofNanos(Math.min(cap, Math.round(random.nextDouble() * cap)));
    }

    /** The wait a server asked for, capped at {@code maxBackoff}. */
    public Duration serverDelay(Duration retryAfter) {
        return retryAfter.compareTo(maxBackoff) > 0 ? maxBackoff : retryAfter;
    }
}
