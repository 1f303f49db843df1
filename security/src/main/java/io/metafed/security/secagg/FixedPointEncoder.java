package io.metafed.security.secagg;

import java.nio.FloatBuffer;

/**
 * Maps a weighted model update to Z_{2^32} words for secure aggregation, and the sum back.
 *
 * <p>Each client sends w·clip(Δ) and w (the example weight, as the last coordinate); the server
 * learns Σ w·clip(Δ) and Σ w and divides, so it never needs an individual weight. clip(Δ) scales Δ
 * down to L2 norm ≤ C. Every coordinate of w·clip(Δ) lies in [−W·C, W·C] and the weight in [0, W],
 * so with scale s = ((2^31 − 1)/n − 1)/(W·C) each quantized word satisfies |q| ≤ W·C·s + 1/2 and
 * the sum of n of them has |Σq| &lt; 2^31 − 1: read as a signed int the mod-2^32 sum is exact, no
 * wraparound (the extra half word absorbs floating-point rounding in clipping and scaling). Quantization rounds to nearest, so <b>the decoded sum of k clients is off by at most
 * k/(2s) per coordinate</b> (k/(2s_w) for Σw, s_w = ((2^31 − 1)/n − 1)/W); see {@link #maxAbsError}.
 * Rounding is deterministic, hence biased per client by at most 1/(2s); at n = 500, W·C = 1 that is
 * 1.2e−7, well below float32 resolution of typical updates.
 *
 * @param clipNorm   C, the L2 bound applied to every update, &gt; 0
 * @param maxWeight  W, the largest example weight a client may send, &gt; 0
 * @param maxClients n, the most inputs that will ever be summed, ≥ 1
 */
public record FixedPointEncoder(double clipNorm, double maxWeight, int maxClients) {
    private static final double INT_MAX = Integer.MAX_VALUE;

    public FixedPointEncoder {
        requireFinitePositive("clipNorm", clipNorm);
        requireFinitePositive("maxWeight", maxWeight);
        if (maxClients < 1) {
            throw new IllegalArgumentException("maxClients: must be ≥ 1, got " + maxClients);
        }
    }

    /** Words per unit of w·Δ. */
    public double scale() {
        return (INT_MAX / maxClients - 1.0) / (maxWeight * clipNorm);
    }

    /** Words per unit of weight. */
    public double weightScale() {
        return (INT_MAX / maxClients - 1.0) / maxWeight;
    }

    /** Δ scaled by min(1, C/‖Δ‖₂), in double; rejects non-finite coordinates. */
    public double[] clip(float[] update) {
        return clip(FloatBuffer.wrap(update));
    }

    /**
     * As {@link #clip(float[])} for the {@code remaining()} floats of {@code update}, read in place (e.g. a read-only
     * view of a parameter vector); the buffer's position does not move.
     */
    public double[] clip(FloatBuffer update) {
        int base = update.position();
        int n = update.remaining();
        double sq = 0;
        for (int i = 0; i < n; i++) {
            float v = update.get(base + i);
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("update[" + i + "]: must be finite, got " + v);
            }
            sq += (double) v * v;
        }
        double factor = Math.min(1.0, clipNorm / Math.sqrt(sq)); // sq = 0 → +∞ → factor 1
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = update.get(base + i) * factor;
        }
        return out;
    }

    /** update.length + 1 words: rint(s·w·clip(Δ)_i), then rint(s_w·w). */
    public int[] encode(float[] update, double weight) {
        return encode(FloatBuffer.wrap(update), weight);
    }

    /** As {@link #encode(float[], double)} for the {@code remaining()} floats of {@code update}, read in place. */
    public int[] encode(FloatBuffer update, double weight) {
        if (!(weight >= 0 && weight <= maxWeight)) {
            throw new IllegalArgumentException("weight: must be in [0, maxWeight=" + maxWeight + "], got " + weight);
        }
        double[] clipped = clip(update);
        int[] out = new int[clipped.length + 1];
        double s = scale() * weight;
        for (int i = 0; i < clipped.length; i++) {
            out[i] = (int) Math.rint(clipped[i] * s);
        }
        out[clipped.length] = (int) Math.rint(weight * weightScale());
        return out;
    }

    /** The aggregate of {@code sum} (a mod-2^32 sum of at most maxClients encodings). */
    public Aggregate decode(int[] sum) {
        if (sum.length < 1) {
            throw new IllegalArgumentException("sum: must hold at least the weight word, got length 0");
        }
        double[] weighted = new double[sum.length - 1];
        double s = scale();
        for (int i = 0; i < weighted.length; i++) {
            weighted[i] = sum[i] / s; // signed int read: exact because |Σq| ≤ 2^31 − 1
        }
        return new Aggregate(weighted, sum[sum.length - 1] / weightScale());
    }

    /** Bound on |decoded − exact| per coordinate of Σ w·clip(Δ) when {@code clients} inputs were summed. */
    public double maxAbsError(int clients) {
        return clients * 0.5 / scale();
    }

    /** Bound on |decoded − exact| of Σ w. */
    public double maxAbsWeightError(int clients) {
        return clients * 0.5 / weightScale();
    }

    /** Σ w·clip(Δ) and Σ w; {@link #weightedMean()} is the federated average. */
    public record Aggregate(double[] weightedSum, double weightSum) {
        public Aggregate {
            weightedSum = weightedSum.clone();
        }

        @Override
        public double[] weightedSum() {
            return weightedSum.clone();
        }

        /** Σ w·clip(Δ) / Σ w; throws if Σ w is 0 (nothing to average). */
        public float[] weightedMean() {
            if (!(weightSum > 0)) {
                throw new IllegalStateException("weightSum: must be > 0 to average, got " + weightSum);
            }
            float[] out = new float[weightedSum.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (weightedSum[i] / weightSum);
            }
            return out;
        }
    }

    private static void requireFinitePositive(String param, double v) {
        if (!(v > 0 && Double.isFinite(v))) {
            throw new IllegalArgumentException(param + ": must be finite and > 0, got " + v);
        }
    }
}
