package io.metafed.coordinator.server.secagg;

import io.metafed.security.secagg.SecAggConfig;
import io.metafed.security.secagg.SecAggPlusParameters;
import java.util.Locale;

/**
 * Which secure-aggregation protocol a round runs (docs/SECURE-AGGREGATION.md, "SecAgg+"). The round's mode, k and
 * graph seed are announced in every selected device's task.
 */
public enum SecAggMode {
    /** Every pair of the n clients shares keys and masks, t = ⌊n/2⌋ + 1 (Bonawitz et al., CCS 2017). */
    BONAWITZ,
    /**
     * SecAgg+ (Bell et al., CCS 2020): only neighbours in a k-regular graph, k and t from {@link SecAggPlusParameters}
     * (δ = 0.3 dropout, γ = 0.2 corruption, σ = 40, η = 20); for n so small that no k &lt; n − 1 meets the bounds it is
     * the complete graph, i.e. Bonawitz.
     */
    SECAGG_PLUS,
    /**
     * SecAgg+ once its graph at most halves each client's neighbours (k ≤ n/2, from n = {@value #AUTO_MIN_CLIENTS}
     * with the default bounds), Bonawitz below. Under that size the complete graph costs at most twice as much (at n =
     * 100, 30 % dropout: 1.8 s of server time, docs/SECURE-AGGREGATION.md), and its guarantees hold for any dropout
     * below n − t, not just the δ the sparse graph was sized for.
     */
    AUTO;

    /** The smallest n at which {@link #AUTO} picks SecAgg+ with the default bounds (SecAggModeTest checks it). */
    public static final int AUTO_MIN_CLIENTS = 192;

    /** The round's configuration for n clients; {@code graphSeed} (SecureRandom on the server) orders the graph. */
    public SecAggConfig config(int n, int dimension, long roundId, long graphSeed) {
        if (this == BONAWITZ) {
            return SecAggConfig.majority(n, dimension, roundId);
        }
        SecAggPlusParameters.Choice choice = SecAggPlusParameters.choose(n);
        if (this == AUTO && 2 * choice.neighbours() > n) {
            return SecAggConfig.majority(n, dimension, roundId);
        }
        return choice.config(dimension, roundId, graphSeed);
    }

    /** The command-line spelling: bonawitz, secagg-plus, auto. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static SecAggMode parse(String s) {
        for (SecAggMode m : values()) {
            if (m.wireName().equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("secure-aggregation mode: must be bonawitz, secagg-plus or auto, got " + s);
    }
}
