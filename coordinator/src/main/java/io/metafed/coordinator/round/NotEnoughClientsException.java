package io.metafed.coordinator.round;

/** Too few checked-in clients to open a round that could reach minUpdates. */
public final class NotEnoughClientsException extends CoordinatorException {
    public NotEnoughClientsException(String message) {
        super(message);
    }
}
