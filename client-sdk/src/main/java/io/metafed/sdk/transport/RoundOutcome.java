package io.metafed.sdk.transport;

/**
 * What one {@link FederatedParticipant#participate()} call did. For {@link Kind#SUBMITTED} the round, the
 * model version adapted and the update's example count and support losses; otherwise {@link #NO_ROUND},
 * version −1, 0 examples and NaN losses.
 */
public record RoundOutcome(Kind kind, int roundId, long modelVersion, int exampleCount, double lossBefore,
        double lossAfter) {
    public static final int NO_ROUND = -1;

    public enum Kind {
        /** The coordinator had no task for this device now. */
        NO_TASK,
        /** The device has no ratings to adapt on, so it did not ask for a task. */
        NO_RATINGS,
        /** An update was adapted and counted by the coordinator. */
        SUBMITTED
    }

    public RoundOutcome {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        if (kind == Kind.SUBMITTED && (roundId < 0 || modelVersion < 0 || exampleCount <= 0)) {
            throw new IllegalArgumentException("SUBMITTED needs roundId >= 0, modelVersion >= 0 and exampleCount > 0,"
                    + " found " + roundId + ", " + modelVersion + ", " + exampleCount);
        }
        if (kind != Kind.SUBMITTED && (roundId != NO_ROUND || modelVersion != -1 || exampleCount != 0)) {
            throw new IllegalArgumentException(kind + " must have no round, version or examples, found "
                    + roundId + ", " + modelVersion + ", " + exampleCount);
        }
    }

    static RoundOutcome nothing(Kind kind) {
        return new RoundOutcome(kind, NO_ROUND, -1, 0, Double.NaN, Double.NaN);
    }

    public boolean submitted() {
        return kind == Kind.SUBMITTED;
    }
}
