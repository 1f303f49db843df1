package io.metafed.model.protocol;

/**
 * The secure-aggregation parameters of a round, in its {@link TaskResponse} (docs/SECURE-AGGREGATION.md).
 *
 * @param clientIndex      this device's index 1..clientCount in the protocol (keys, shares and masks use it)
 * @param clientCount      n, the clients selected for the round
 * @param threshold        t: the round fails unless t clients survive every stage
 * @param dimension        words per masked input: the layout's parameter count + 1 (the weight)
 * @param clipNorm         C: the device clips Δ to L2 norm C before encoding
 * @param maxWeight        W: the device's weight (example count) is capped at W
 * @param maxClients       the encoder's client bound (n), which sets the fixed-point scale
 * @param stageTimeoutMillis how long the server waits for a stage after the key stage
 * @param signed           the active-adversary variant: key advertisements signed with the devices' identity keys
 *                         and a consistency check before unmasking (docs/SECURE-AGGREGATION.md, "Malicious
 *                         server"); a device with an identity key refuses an unsigned round
 */
public record SecureAggregationTask(int clientIndex, int clientCount, int threshold, int dimension,
                                    double clipNorm, double maxWeight, int maxClients, long stageTimeoutMillis,
                                    boolean signed) {
    /** An unsigned round (semi-honest variant). */
    public SecureAggregationTask(int clientIndex, int clientCount, int threshold, int dimension, double clipNorm,
            double maxWeight, int maxClients, long stageTimeoutMillis) {
        this(clientIndex, clientCount, threshold, dimension, clipNorm, maxWeight, maxClients, stageTimeoutMillis,
                false);
    }

    public SecureAggregationTask {
        if (clientCount < 2 || clientIndex < 1 || clientIndex > clientCount) {
            throw new IllegalArgumentException("clientIndex must be in [1, clientCount] with clientCount >= 2, found "
                    + clientIndex + " of " + clientCount);
        }
        if (threshold < 2 || threshold > clientCount) {
            throw new IllegalArgumentException("threshold must be in [2, " + clientCount + "], found " + threshold);
        }
        if (dimension < 2) {
            throw new IllegalArgumentException("dimension must be >= 2 (parameters + weight), found " + dimension);
        }
        if (!(clipNorm > 0) || !(maxWeight > 0) || Double.isInfinite(clipNorm) || Double.isInfinite(maxWeight)) {
            throw new IllegalArgumentException("clipNorm and maxWeight must be positive and finite, found "
                    + clipNorm + ", " + maxWeight);
        }
        if (maxClients < clientCount) {
            throw new IllegalArgumentException("maxClients must be >= clientCount " + clientCount + ", found "
                    + maxClients);
        }
        if (stageTimeoutMillis < 1) {
            throw new IllegalArgumentException("stageTimeoutMillis must be >= 1, found " + stageTimeoutMillis);
        }
    }
}
