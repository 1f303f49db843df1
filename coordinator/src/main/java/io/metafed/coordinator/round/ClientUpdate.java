package io.metafed.coordinator.round;

import io.metafed.model.nn.ParamVector;
import java.util.Objects;

/**
 * One client's contribution to a round: Δ = φ − θ after its local adaptation, and the number of examples it
 * adapted on as weight. Δ is an immutable {@link ParamVector}, so nothing the sender does later can change a
 * counted update, and an in-process sender hands its Δ over without a copy; {@link #delta()} still returns a copy.
 *
 * <p>Only the shape is checked here. Values (finite Δ, positive weight) and identity (round, version, layout,
 * selection) are checked by the {@link Round}, because this is untrusted wire data and each refusal must reach
 * the client as a specific {@link CoordinatorException}.
 */
public record ClientUpdate(String clientId, int roundId, long modelVersion, long layoutId, ParamVector deltaVector,
        double weight) {

    public ClientUpdate {
        Objects.requireNonNull(clientId, "clientId");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
        Objects.requireNonNull(deltaVector, "delta");
    }

    /** An update over a copy of {@code delta}. */
    public ClientUpdate(String clientId, int roundId, long modelVersion, long layoutId, float[] delta, double weight) {
        this(clientId, roundId, modelVersion, layoutId, ParamVector.copyOf(Objects.requireNonNull(delta, "delta")),
                weight);
    }

    /** A copy of Δ; {@link #deltaVector()} reads it without one. */
    public float[] delta() {
        return deltaVector.toArray();
    }

    @Override
    public String toString() {
        return "ClientUpdate[clientId=" + clientId + ", roundId=" + roundId + ", modelVersion=" + modelVersion
                + ", layoutId=" + Long.toHexString(layoutId) + ", delta=float[" + deltaVector.size() + "], weight="
                + weight + "]";
    }
}
