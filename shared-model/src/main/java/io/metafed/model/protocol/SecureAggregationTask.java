package io.metafed.model.protocol;

/**
 * The secure-aggregation parameters of a round, in its {@link TaskResponse} (docs/SECURE-AGGREGATION.md).
 *
 * @param clientIndex      this device's index 1..clientCount in the protocol (keys, shares and masks use it)
 * @param clientCount      n, the clients selected for the round
 * @param threshold        t: the round fails unless t clients survive every stage (with SecAgg+: t holders of every
 *                         needed client's shares, within its neighbourhood)
 * @param dimension        words per masked input: the layout's parameter count + 1 (the weight)
 * @param clipNorm         C: the device clips Δ to L2 norm C before encoding
 * @param maxWeight        W: the device's weight (example count) is capped at W
 * @param maxClients       the encoder's client bound (n), which sets the fixed-point scale
 * @param stageTimeoutMillis how long the server waits for a stage after the key stage
 * @param signed           the active-adversary variant: key advertisements signed with the devices' identity keys
 *                         and a consistency check before unmasking (docs/SECURE-AGGREGATION.md, "Malicious
 *                         server"); a device with an identity key refuses an unsigned round
 * @param mode             which protocol: {@value #MODE_BONAWITZ} (every pair of clients shares keys and masks) or
 *                         {@value #MODE_SECAGG_PLUS} (only neighbours in a k-regular graph, Bell et al. 2020). Absent
 *                         (null, from a coordinator that predates the field) means {@value #MODE_BONAWITZ}; a device
 *                         refuses any other value rather than guess (docs/PROTOCOL.md, "Secure aggregation")
 * @param neighbours       k, each client's neighbour count (SecAgg+ only; 0 or n − 1 otherwise)
 * @param graphSeed        the coordinator's random seed of the neighbour graph (SecAgg+ only)
 */
public record SecureAggregationTask(int clientIndex, int clientCount, int threshold, int dimension,
                                    double clipNorm, double maxWeight, int maxClients, long stageTimeoutMillis,
                                    boolean signed, String mode, int neighbours, long graphSeed) {
    /** Every pair of the n clients shares keys and masks (Bonawitz et al., CCS 2017). */
    public static final String MODE_BONAWITZ = "bonawitz";
    /** Keys, shares and masks only between neighbours of a k-regular graph (SecAgg+, Bell et al., CCS 2020). */
    public static final String MODE_SECAGG_PLUS = "secagg-plus";

    /** A Bonawitz round, signed or not. */
    public SecureAggregationTask(int clientIndex, int clientCount, int threshold, int dimension, double clipNorm,
            double maxWeight, int maxClients, long stageTimeoutMillis, boolean signed) {
        this(clientIndex, clientCount, threshold, dimension, clipNorm, maxWeight, maxClients, stageTimeoutMillis,
                signed, MODE_BONAWITZ, clientCount - 1, 0L);
    }

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
        // An unknown mode is kept, not refused here: the device refuses it with a message naming it.
        if (MODE_SECAGG_PLUS.equals(mode) && (neighbours < 2 || neighbours > clientCount - 1
                || threshold > neighbours + 1)) {
            throw new IllegalArgumentException("neighbours must be in [2, " + (clientCount - 1) + "] and >= threshold"
                    + " - 1 = " + (threshold - 1) + " in a " + MODE_SECAGG_PLUS + " round, found " + neighbours);
        }
    }

    /** Whether a device of this version knows {@link #mode()}: Bonawitz (also when absent) or SecAgg+. */
    public boolean knownMode() {
        return mode == null || MODE_BONAWITZ.equals(mode) || MODE_SECAGG_PLUS.equals(mode);
    }

    /** k: the announced neighbour count with SecAgg+, n − 1 (everyone) with Bonawitz. */
    public int neighbourCount() {
        return MODE_SECAGG_PLUS.equals(mode) ? neighbours : clientCount - 1;
    }
}
