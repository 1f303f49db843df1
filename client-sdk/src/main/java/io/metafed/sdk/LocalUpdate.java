package io.metafed.sdk;

import io.metafed.model.Checks;
import io.metafed.model.nn.ParamVector;
import java.util.Objects;

/**
 * What a device sends back after adapting: Δ = φ − θ for global model {@code modelVersion}, the number of
 * ratings it adapted on (the aggregation weight) and the support losses before and after, for monitoring.
 * Nothing here identifies a rating. Δ is an immutable {@link ParamVector}, so the update can travel to the
 * coordinator without a copy per hand-off; {@link #delta()} still returns a copy for callers that want an array.
 *
 * @param deltaVector Δ, all finite
 * @param lossBefore  loss of θ on the first step's minibatch (the whole support set for full-batch adaptation;
 *                    for 0 steps, θ on the whole support set)
 * @param lossAfter   loss of φ on the whole support set
 */
public record LocalUpdate(long modelVersion, ParamVector deltaVector, int exampleCount, double lossBefore,
        double lossAfter) {
    public LocalUpdate {
        Objects.requireNonNull(deltaVector, "delta");
        deltaVector.requireFinite("delta");
        Checks.positive(exampleCount, "exampleCount");
        requireLoss(lossBefore, "lossBefore");
        requireLoss(lossAfter, "lossAfter");
    }

    /** An update over a copy of {@code delta}. */
    public LocalUpdate(long modelVersion, float[] delta, int exampleCount, double lossBefore, double lossAfter) {
        this(modelVersion, ParamVector.copyOf(Objects.requireNonNull(delta, "delta")), exampleCount, lossBefore,
                lossAfter);
    }

    /**
     * An update that takes {@code delta} over without a copy ({@link ParamVector#adopt}): for the code that has
     * just computed Δ, which must not write the array afterwards.
     */
    public static LocalUpdate adopt(long modelVersion, float[] delta, int exampleCount, double lossBefore,
            double lossAfter) {
        return new LocalUpdate(modelVersion, ParamVector.adopt(delta), exampleCount, lossBefore, lossAfter);
    }

    private static void requireLoss(double loss, String name) {
        if (!(loss >= 0) || Double.isInfinite(loss)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, found " + loss);
        }
    }

    /** A copy of Δ; {@link #deltaVector()} reads it without one. */
    public float[] delta() {
        return deltaVector.toArray();
    }

    @Override
    public String toString() {
        return "LocalUpdate[modelVersion=" + modelVersion + ", " + deltaVector.size() + " deltas, exampleCount="
                + exampleCount + ", lossBefore=" + lossBefore + ", lossAfter=" + lossAfter + "]";
    }
}
