package io.metafed.coordinator.round;

/**
 * A request the coordinator refuses in its current state: a client update it will not count, or a lifecycle
 * call out of order. One closed family so that a transport can map every refusal to a client-facing error with
 * a single catch; the subtype says which rule was broken and the message gives expected versus found.
 *
 * <p>It extends {@link IllegalStateException} because every refusal is relative to the coordinator's state
 * (current round, model version, layout, who was selected, who already contributed). Malformed arguments
 * to constructors (null ids, bad configs) remain plain {@link IllegalArgumentException}s.
 */
public abstract sealed class CoordinatorException extends IllegalStateException
        permits StaleUpdateException, LayoutMismatchException, InvalidUpdateException, DuplicateUpdateException,
        ClientNotSelectedException, RoundFullException, RoundStateException, NotEnoughClientsException {

    protected CoordinatorException(String message) {
        super(message);
    }
}
