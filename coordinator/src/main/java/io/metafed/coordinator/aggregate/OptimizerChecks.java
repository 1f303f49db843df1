package io.metafed.coordinator.aggregate;

/** Validation shared by the server optimizers. */
final class OptimizerChecks {
    private OptimizerChecks() {
    }

    /** Decay rates must lie in [0, 1): at 1 the running average never forgets its zero initialization. */
    static double decayRate(double value, String name) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), found " + value);
        }
        return value;
    }

    /** Narrows {@code state} to the type an optimizer owns and checks it covers {@code size} parameters. */
    static <S extends OptimizerState> S expect(OptimizerState state, Class<S> type, int size) {
        if (!type.isInstance(state)) {
            throw new IllegalArgumentException("optimizer state must be " + type.getName() + ", found "
                    + (state == null ? "null" : state.getClass().getName()));
        }
        if (state.size() != size) {
            throw new IllegalArgumentException(
                    "optimizer state must cover " + size + " parameters, found " + state.size());
        }
        return type.cast(state);
    }
}
