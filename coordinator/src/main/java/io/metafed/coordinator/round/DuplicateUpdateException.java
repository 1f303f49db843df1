package io.metafed.coordinator.round;

/** A second update from a client that already contributed to the round. */
public final class DuplicateUpdateException extends CoordinatorException {
    public DuplicateUpdateException(String message) {
        super(message);
    }
}
