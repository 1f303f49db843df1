package io.metafed.coordinator.round;

/**
 * Lifecycle of a round. OPEN: clients check in. COLLECTING: the selection is fixed and updates are counted.
 * AGGREGATED and FAILED are terminal; only AGGREGATED changed the global model.
 *
 * <pre>
 * OPEN ──select──▶ COLLECTING ──aggregate──▶ AGGREGATED
 *   └──────fail──────────┴──────fail───────▶ FAILED
 * </pre>
 */
public enum RoundState {
    OPEN, COLLECTING, AGGREGATED, FAILED;

    public boolean isTerminal() {
        return this == AGGREGATED || this == FAILED;
    }

    /** Whether the state machine has an edge from this state to {@code next}. */
    public boolean canMoveTo(RoundState next) {
        return switch (this) {
            case OPEN -> next == COLLECTING || next == FAILED;
            case COLLECTING -> next == AGGREGATED || next == FAILED;
            case AGGREGATED, FAILED -> false;
        };
    }
}
