package io.metafed.coordinator.round;

/** An update whose layout id or length differs from the global model's parameter layout. */
public final class LayoutMismatchException extends CoordinatorException {
    public LayoutMismatchException(String message) {
        super(message);
    }
}
