package io.metafed.coordinator.round;

/** An update computed for another round or from another model version than the round's. */
public final class StaleUpdateException extends CoordinatorException {
    public StaleUpdateException(String message) {
        super(message);
    }
}
