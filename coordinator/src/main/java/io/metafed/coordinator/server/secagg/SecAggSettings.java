package io.metafed.coordinator.server.secagg;

import io.metafed.model.protocol.Protocol;
import java.time.Duration;
import java.util.Objects;

/**
 * How the server runs securely aggregated rounds (docs/SECURE-AGGREGATION.md, "Networked mode").
 *
 * @param clipNorm     C: devices clip Δ to L2 norm C; sets the fixed-point range with maxWeight
 * @param maxWeight    W: the largest weight (example count) a device sends; larger counts are capped at W
 * @param stageTimeout how long each stage after the key stage waits for the clients still expected, at most
 * @param pollWait     how long a secure-aggregation GET waits for its stage before answering 204, at most
 *                     {@link Protocol#SECAGG_MAX_WAIT}
 * @param quorumGrace  once a stage after the key stage has t answers (the quorum that lets the round go on), how
 *                     much longer it waits for the rest before closing; devices that vanished never answer, so
 *                     without this a round with dropouts waits out {@code stageTimeout} at every stage. At least
 *                     1 ms; equal to {@code stageTimeout} (or more) turns it off
 * @param mode         Bonawitz, SecAgg+ or the size-dependent choice between them ({@link SecAggMode#AUTO}, the
 *                     default)
 */
public record SecAggSettings(double clipNorm, double maxWeight, Duration stageTimeout, Duration pollWait,
        Duration quorumGrace, SecAggMode mode) {
    public static final double DEFAULT_CLIP = 10.0;
    public static final double DEFAULT_MAX_WEIGHT = 1024;
    public static final Duration DEFAULT_STAGE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * A stage's honest answers arrive within milliseconds of each other on a LAN and well under a second on mobile
     * networks once the stage opens (every device long-polls for it); 1 s lets stragglers in.
     */
    public static final Duration DEFAULT_QUORUM_GRACE = Duration.ofSeconds(1);

    /** Without a quorum grace: every stage waits for all expected clients or its timeout. */
    public SecAggSettings(double clipNorm, double maxWeight, Duration stageTimeout, Duration pollWait) {
        this(clipNorm, maxWeight, stageTimeout, pollWait, stageTimeout);
    }

    /** In the default mode, {@link SecAggMode#AUTO}. */
    public SecAggSettings(double clipNorm, double maxWeight, Duration stageTimeout, Duration pollWait,
            Duration quorumGrace) {
        this(clipNorm, maxWeight, stageTimeout, pollWait, quorumGrace, SecAggMode.AUTO);
    }

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
        Objects.requireNonNull(quorumGrace, "quorumGrace");
        if (quorumGrace.toMillis() < 1) {
            throw new IllegalArgumentException("quorumGrace must be at least 1 ms, found " + quorumGrace);
        }
        Objects.requireNonNull(mode, "mode");
        if (pollWait.toMillis() < 100 || pollWait.compareTo(Protocol.SECAGG_MAX_WAIT) > 0) {
            throw new IllegalArgumentException("pollWait must be in [100 ms, " + Protocol.SECAGG_MAX_WAIT.toSeconds()
                    + " s], found " + pollWait);
        }
    }

    /** Clip C, the default weight cap, the stage timeout, the longest poll wait and the default quorum grace. */
    public static SecAggSettings of(double clipNorm, Duration stageTimeout) {
        return of(clipNorm, stageTimeout, DEFAULT_QUORUM_GRACE);
    }

    public static SecAggSettings of(double clipNorm, Duration stageTimeout, Duration quorumGrace) {
        return new SecAggSettings(clipNorm, DEFAULT_MAX_WEIGHT, stageTimeout, Protocol.SECAGG_MAX_WAIT,
                quorumGrace.compareTo(stageTimeout) > 0 ? stageTimeout : quorumGrace);
    }

    public SecAggSettings withMode(SecAggMode value) {
        return new SecAggSettings(clipNorm, maxWeight, stageTimeout, pollWait, quorumGrace, value);
    }

    /** Whether a stage closes early once it has a quorum. */
    public boolean graceful() {
        return quorumGrace.compareTo(stageTimeout) < 0;
    }
}
