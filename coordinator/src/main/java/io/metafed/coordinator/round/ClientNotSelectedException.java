package io.metafed.coordinator.round;

/** An update from a client the round did not select. */
public final class ClientNotSelectedException extends CoordinatorException {
    public ClientNotSelectedException(String message) {
        super(message);
    }
}
