package io.metafed.coordinator.round;

import java.util.Arrays;
import java.util.Objects;

/**
 * One client's contribution to a round: Δ = φ − θ after its local adaptation, and the number of examples it
 * adapted on as weight. The delta is copied in and out so nothing the sender does later can change a counted
 * update.
 *
 * <p>Only the shape is checked here. Values (finite Δ, positive weight) and identity (round, version, layout,
 * selection) are checked by the {@link Round}, because this is untrusted wire data and each refusal must reach
 * the client as a specific {@link CoordinatorException}.
 */
public record ClientUpdate(String clientId, int roundId, long modelVersion, long layoutId, float[] delta,
        double weight) {

    public ClientUpdate {
        Objects.requireNonNull(clientId, "clientId");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
        Objects.requireNonNull(delta, "delta");
        delta = delta.clone();
    }

    @Override
    public float[] delta() {
        return delta.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientUpdate u && clientId.equals(u.clientId) && roundId == u.roundId
                && modelVersion == u.modelVersion && layoutId == u.layoutId && Arrays.equals(delta, u.delta)
                && Double.compare(weight, u.weight) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(clientId, roundId, modelVersion, layoutId, Arrays.hashCode(delta), weight);
    }

    @Override
    public String toString() {
        return "ClientUpdate[clientId=" + clientId + ", roundId=" + roundId + ", modelVersion=" + modelVersion
                + ", layoutId=" + Long.toHexString(layoutId) + ", delta=float[" + delta.length + "], weight="
                + weight + "]";
    }
}
