package io.metafed.security.dp;

/**
 * Bounds a vector's L2 norm by C: x ↦ x · min(1, C / ‖x‖₂). This bounds each contributor's influence on a sum
 * (its L2 sensitivity) by C, which is what the Gaussian noise is calibrated to. {@code clipNorm} may be +∞,
 * which leaves every vector unchanged.
 *
 * @param clipNorm C, > 0 or +∞
 */
public record L2Clipper(double clipNorm) {

    public L2Clipper {
        DpPreconditions.positiveOrInfinite(clipNorm, "clipNorm");
    }

    /** A clipped vector, the norm of the input and whether it was scaled down. */
    public record Clipped(float[] values, double inputNorm, boolean clipped) {
    }

    /**
     * Clips {@code x} into a new array ({@code x} is not modified). The result's norm, computed in double, is
     * guaranteed ≤ C even after rounding the scaled values to float: rounding can push it up by a few ulps, so
     * the scale is nudged down until the bound holds.
     *
     * @throws IllegalArgumentException if {@code x} has a NaN or infinite element (its norm is then undefined)
     */
    public Clipped clip(float[] x) {
        DpPreconditions.notNull(x, "x");
        double norm = norm(x);
        if (!Double.isFinite(norm)) {
            throw new IllegalArgumentException("x must have finite elements to be clipped, found norm " + norm);
        }
        if (norm <= clipNorm) {
            return new Clipped(x.clone(), norm, false);
        }
        double scale = clipNorm / norm;
        float[] out = new float[x.length];
        for (int attempt = 0; attempt < 64; attempt++) {
            for (int j = 0; j < x.length; j++) {
                out[j] = (float) (x[j] * scale);
            }
            if (norm(out) <= clipNorm) {
                return new Clipped(out, norm, true);
            }
            scale *= 1 - 0x1p-20;
        }
        throw new IllegalStateException("could not clip to norm " + clipNorm + " (input norm " + norm + ")");
    }

    /**
     * ‖x‖₂ accumulated in double: a float squared (≤ 1.2e77) cannot overflow a double, so no rescaling is
     * needed. NaN or infinite elements give a non-finite norm.
     */
    public static double norm(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    /** ‖x‖₂ of a double vector, e.g. a sum of clipped updates. NaN or infinite elements give a non-finite norm. */
    public static double norm(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }
}
