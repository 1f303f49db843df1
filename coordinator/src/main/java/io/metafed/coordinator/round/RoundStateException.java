package io.metafed.coordinator.round;

/** A call the round's lifecycle state does not allow: contributing to a finalized round, finalizing twice, opening a round while one is collecting. */
public final class RoundStateException extends CoordinatorException {
    public RoundStateException(String message) {
        super(message);
    }
}
