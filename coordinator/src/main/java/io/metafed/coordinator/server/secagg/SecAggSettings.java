package io.metafed.coordinator.server.secagg;

import io.metafed.model.protocol.Protocol;
import java.time.Duration;
import java.util.Objects;

/**
 * How the server runs securely aggregated rounds (docs/SECURE-AGGREGATION.md, "Networked mode").
 *
 * @param clipNorm     C: devices clip Δ to L2 norm C; sets the fixed-point range with maxWeight
 * @param maxWeight    W: the largest weight (example count) a device sends; larger counts are capped at W
 * @param stageTimeout how long each stage after the key stage waits for the clients still expected
 * @param pollWait     how long a secure-aggregation GET waits for its stage before answering 204, at most
 *                     {@link Protocol#SECAGG_MAX_WAIT}
 */
public record SecAggSettings(double clipNorm, double maxWeight, Duration stageTimeout, Duration pollWait) {
    public static final double DEFAULT_CLIP = 10.0;
    public static final double DEFAULT_MAX_WEIGHT = 1024;
    public static final Duration DEFAULT_STAGE_TIMEOUT = Duration.ofSeconds(20);

    public SecAggSettings {
        if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be positive and finite, found " + clipNorm);
        }
        if (!(maxWeight >= 1) || Double.isInfinite(maxWeight)) {
            throw new IllegalArgumentException("maxWeight must be >= 1 and finite, found " + maxWeight);
        }
        Objects.requireNonNull(stageTimeout, "stageTimeout");
        Objects.requireNonNull(pollWait, "pollWait");
        if (stageTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("stageTimeout must be at least 1 ms, found " + stageTimeout);
        }
        if (pollWait.toMillis() < 100 || pollWait.compareTo(Protocol.SECAGG_MAX_WAIT) > 0) {
            throw new IllegalArgumentException("pollWait must be in [100 ms, " + Protocol.SECAGG_MAX_WAIT.toSeconds()
                    + " s], found " + pollWait);
        }
    }

    /** Clip C, the default weight cap and stage timeout, and the longest poll wait. */
    public static SecAggSettings of(double clipNorm, Duration stageTimeout) {
        return new SecAggSettings(clipNorm, DEFAULT_MAX_WEIGHT, stageTimeout, Protocol.SECAGG_MAX_WAIT);
    }
}
