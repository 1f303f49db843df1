package io.metafed.coordinator.round;

/** An update that arrived after the round already counted clientsPerRound updates (over-selection stragglers). */
public final class RoundFullException extends CoordinatorException {
    public RoundFullException(String message) {
        super(message);
    }
}
