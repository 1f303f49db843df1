package io.metafed.sdk;

import io.metafed.model.Checks;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a device sends back after adapting: Δ = φ − θ for global model {@code modelVersion}, the number of
 * ratings it adapted on (the aggregation weight) and the support losses before and after, for monitoring.
 * Nothing here identifies a rating. Arrays are copied in and out.
 *
 * @param lossBefore loss of θ on the first step's minibatch (the whole support set for full-batch adaptation;
 *                   for 0 steps, θ on the whole support set)
 * @param lossAfter  loss of φ on the whole support set
 */
public record LocalUpdate(long modelVersion, float[] delta, int exampleCount, double lossBefore,
        double lossAfter) {
    public LocalUpdate {
        Objects.requireNonNull(delta, "delta");
        delta = delta.clone();
        Checks.allFinite(delta, "delta");
        Checks.positive(exampleCount, "exampleCount");
        requireLoss(lossBefore, "lossBefore");
        requireLoss(lossAfter, "lossAfter");
    }

    private static void requireLoss(double loss, String name) {
        if (!(loss >= 0) || Double.isInfinite(loss)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, found " + loss);
        }
    }

    @Override
    public float[] delta() {
        return delta.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LocalUpdate u && modelVersion == u.modelVersion && exampleCount == u.exampleCount
                && Double.compare(lossBefore, u.lossBefore) == 0 && Double.compare(lossAfter, u.lossAfter) == 0
                && Arrays.equals(delta, u.delta);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelVersion, Arrays.hashCode(delta), exampleCount, lossBefore, lossAfter);
    }

    @Override
    public String toString() {
        return "LocalUpdate[modelVersion=" + modelVersion + ", " + delta.length + " deltas, exampleCount="
                + exampleCount + ", lossBefore=" + lossBefore + ", lossAfter=" + lossAfter + "]";
    }
}
