package io.metafed.coordinator.round;

/** An update with a NaN or infinite value, or a weight that is not a positive finite number. */
public final class InvalidUpdateException extends CoordinatorException {
    public InvalidUpdateException(String message) {
        super(message);
    }
}
