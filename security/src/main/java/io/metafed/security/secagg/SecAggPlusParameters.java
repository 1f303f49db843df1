package io.metafed.security.secagg;

import java.util.Locale;

/**
 * The neighbour count k and threshold t of SecAgg+ (Bell et al., CCS 2020) for n clients, from the hypergeometric
 * tails of the paper's analysis (docs/SECURE-AGGREGATION.md, "SecAgg+").
 *
 * <p>Over a uniformly permuted Harary graph each client's k neighbours are a uniform k-subset of the other n − 1,
 * so with ⌊γn⌋ corrupt and ⌊δn⌋ dropped clients the corrupt (dropped) neighbours C (D) are hypergeometric
 * Hyp(n − 1, ⌊γn⌋, k) (Hyp(n − 1, ⌊δn⌋, k)). The smallest even k with some t satisfying
 * <ul>
 *   <li>security: n · P[C ≥ t] ≤ 2^−σ (no client's t shares are all with corrupt holders),</li>
 *   <li>connectivity: n · (γ + δ)^⌊k/2⌋ ≤ 2^−σ (the surviving honest clients stay connected, so the server learns
 *       only the whole sum; disconnecting the ring needs ⌊k/2⌋ consecutive removed clients),</li>
 *   <li>correctness: n · P[D &gt; k − t] ≤ 2^−η (every client keeps t holders that answer),</li>
 *   <li>honest majority per neighbourhood: t &gt; (k + 1)/2 (two disjoint groups of holders cannot reconstruct
 *       different secrets of one client),</li>
 * </ul>
 * is chosen, with the smallest such t (the most slack for dropouts). If no k &lt; n − 1 qualifies, the choice is the
 * complete graph with Bonawitz's t = ⌊n/2⌋ + 1.
 */
public final class SecAggPlusParameters {
    /** δ: the dropout fraction the parameters must survive (the benchmark's worst case). */
    public static final double DEFAULT_DROPOUT = 0.3;
    /** γ: the fraction of clients assumed corrupt (colluding with the server). */
    public static final double DEFAULT_CORRUPTION = 0.2;
    /** σ: statistical security, −log2 of the allowed failure probability of privacy. */
    public static final int DEFAULT_SIGMA = 40;
    /** η: correctness, −log2 of the allowed probability that dropouts make a round unrecoverable. */
    public static final int DEFAULT_ETA = 20;

    private SecAggPlusParameters() {}

    /**
     * A choice of k and t with the failure bounds it achieves (each already multiplied by n, the union bound).
     *
     * @param securityFailure    n · P[corrupt neighbours ≥ t]
     * @param disconnection      n · (γ + δ)^⌊k/2⌋ (1 for the complete graph, where it does not apply)
     * @param correctnessFailure n · P[dropped neighbours &gt; k − t]
     */
    public record Choice(int clientCount, int neighbours, int threshold, double securityFailure,
            double disconnection, double correctnessFailure) {
        public boolean complete() {
            return neighbours == clientCount - 1;
        }

        /** The round's configuration with this graph and threshold. */
        public SecAggConfig config(int dimension, long roundId, long graphSeed) {
            return new SecAggConfig(clientCount, threshold, dimension, roundId, neighbours, graphSeed);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "n=%d k=%d t=%d (security %.1e, disconnection %.1e, correctness %.1e)",
                    clientCount, neighbours, threshold, securityFailure, disconnection, correctnessFailure);
        }
    }

    /** The choice for the default δ, γ, σ and η. */
    public static Choice choose(int n) {
        return choose(n, DEFAULT_DROPOUT, DEFAULT_CORRUPTION, DEFAULT_SIGMA, DEFAULT_ETA);
    }

    public static Choice choose(int n, double dropout, double corruption, int sigma, int eta) {
        if (n < 2) {
            throw new IllegalArgumentException("n: must be ≥ 2, got " + n);
        }
        if (!(dropout >= 0 && corruption >= 0 && dropout + corruption < 1)) {
            throw new IllegalArgumentException("dropout, corruption: must be ≥ 0 with sum < 1, got " + dropout + ", "
                    + corruption);
        }
        if (sigma < 1 || eta < 1) {
            throw new IllegalArgumentException("sigma, eta: must be ≥ 1, got " + sigma + ", " + eta);
        }
        double secBound = Math.pow(2, -sigma);
        double corBound = Math.pow(2, -eta);
        double[] logFact = logFactorials(n);
        int corrupt = (int) Math.floor(corruption * n);
        int dropped = (int) Math.floor(dropout * n);
        for (int k = 2; k < n - 1; k += 2) {
            double disconnection = n * Math.pow(dropout + corruption, k / 2);
            if (disconnection > secBound) {
                continue;
            }
            for (int t = (k + 1) / 2 + 1; t <= k + 1; t++) {
                double sec = n * upperTail(logFact, n - 1, corrupt, k, t);
                double cor = n * upperTail(logFact, n - 1, dropped, k, k - t + 1);
                if (sec <= secBound && cor <= corBound) {
                    return new Choice(n, k, t, sec, disconnection, cor);
                }
                if (cor > corBound) {
                    break; // a larger t only leaves fewer holders for dropouts
                }
            }
        }
        return new Choice(n, n - 1, n / 2 + 1, 0, 1, 0);
    }

    /** P[X ≥ a] for X ~ Hyp(population, successes, draws), summed in linear space from log-pmfs. */
    static double upperTail(double[] logFact, int population, int successes, int draws, int a) {
        int hi = Math.min(draws, successes);
        int lo = Math.max(a, Math.max(0, draws - (population - successes)));
        double p = 0;
        for (int x = lo; x <= hi; x++) {
            p += Math.exp(logChoose(logFact, successes, x) + logChoose(logFact, population - successes, draws - x)
                    - logChoose(logFact, population, draws));
        }
        return Math.min(1, p);
    }

    private static double logChoose(double[] logFact, int n, int k) {
        return logFact[n] - logFact[k] - logFact[n - k];
    }

    static double[] logFactorials(int n) {
        double[] f = new double[n + 1];
        for (int i = 2; i <= n; i++) {
            f[i] = f[i - 1] + Math.log(i);
        }
        return f;
    }
}
