package io.metafed.coordinator.round;

import io.metafed.model.nn.ParamVector;
import io.metafed.model.nn.Support;

/** Content checks of a client update, which depend only on the update and the model's layout. */
final class UpdateChecks {
    /** Largest L2 norm an update may have at all, whatever the bounds: {@link Float#MAX_VALUE}. */
    static final double MAX_NORM = Float.MAX_VALUE;

    private UpdateChecks() {
    }

    /**
     * Checks layout id, length, weight and finiteness, and returns the delta: an immutable vector, so the values
     * checked are the values counted without a copy.
     */
    static ParamVector content(ClientUpdate update, long layoutId, int size) {
        contentNorm(update, layoutId, size);
        return update.deltaVector();
    }

    /** The checks of {@link #content}; returns ‖Δ‖₂, computed as {@link ParamVector#norm()} does. */
    static double contentNorm(ClientUpdate update, long layoutId, int size) {
        String client = update.clientId();
        if (update.layoutId() != layoutId) {
            throw new LayoutMismatchException("update from client " + client + " has layout id "
                    + Long.toHexString(update.layoutId()) + ", expected " + Long.toHexString(layoutId));
        }
        ParamVector delta = update.deltaVector();
        if (delta.size() != size) {
            throw new LayoutMismatchException("update from client " + client + " has delta length " + delta.size()
                    + ", expected " + size);
        }
        double weight = update.weight();
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new InvalidUpdateException("update from client " + client
                    + " must have a positive finite weight, found " + weight);
        }
        double squares = 0;
        // Outside its support Δ is +0 (ParamVector.adoptSparse wrote it), which is finite and adds nothing.
        Support support = delta.support();
        for (int r = 0; r < support.ranges(); r++) {
            for (int i = support.start(r); i < support.end(r); i++) {
                float d = delta.get(i);
                // Most of a collaborative Δ is ±0 (a client touches its own items' rows only), and adding 0.0 to a
                // sum that starts at +0 leaves it bit-for-bit unchanged: skipping zeros keeps the norm exact while
                // the chain of dependent additions runs only over the entries that matter.
                if (d != 0f) {
                    if (!Float.isFinite(d)) {
                        throw new InvalidUpdateException("update from client " + client + " has delta[" + i + "] = "
                                + d + ", expected a finite value");
                    }
                    squares += (double) d * d;
                }
            }
        }
        // A float model cannot take a step this large: θ + ε·Δ would overflow float, and clipping it would need a
        // scale below float precision. Refusing it here keeps every later sum finite (docs/SECURITY.md).
        double norm = Math.sqrt(squares);
        if (norm > MAX_NORM) {
            throw new InvalidUpdateException("update from client " + client + " has L2 norm " + norm
                    + ", more than " + MAX_NORM + " (the largest float): no float model can take that step");
        }
        return norm;
    }

    /** The same content checks for a securely aggregated sum; returns the (copied) weighted sum. */
    static double[] content(SecureAggregate aggregate, long layoutId, int size) {
        String what = "secure aggregate of " + aggregate.participants().size() + " clients";
        if (aggregate.layoutId() != layoutId) {
            throw new LayoutMismatchException(what + " has layout id " + Long.toHexString(aggregate.layoutId())
                    + ", expected " + Long.toHexString(layoutId));
        }
        double[] sum = aggregate.weightedSum();
        if (sum.length != size) {
            throw new LayoutMismatchException(what + " has weightedSum length " + sum.length + ", expected "
                    + size);
        }
        double weight = aggregate.totalWeight();
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new InvalidUpdateException(what + " must have a positive finite totalWeight, found " + weight);
        }
        for (int i = 0; i < sum.length; i++) {
            if (!Double.isFinite(sum[i])) {
                throw new InvalidUpdateException(what + " has weightedSum[" + i + "] = " + sum[i]
                        + ", expected a finite value");
            }
        }
        return sum;
    }
}
