package io.metafed.coordinator.round;

import io.metafed.model.Checks;
import java.util.Objects;
import java.util.Optional;

/**
 * Snapshot of a round for monitoring and tests.
 *
 * @param failureReason why the round failed; null unless {@code state} is FAILED
 */
public record RoundStatus(int roundId, long modelVersion, RoundState state, int selected, int accepted,
        double totalWeight, String failureReason) {

    public RoundStatus {
        Checks.nonNegative(roundId, "roundId");
        Objects.requireNonNull(state, "state");
        Checks.nonNegative(selected, "selected");
        Checks.nonNegative(accepted, "accepted");
        if ((state == RoundState.FAILED) != (failureReason != null)) {
            throw new IllegalArgumentException("failureReason must be present exactly when state is FAILED, found "
                    + state + " with reason " + failureReason);
        }
    }

    public Optional<String> failure() {
        return Optional.ofNullable(failureReason);
    }
}
