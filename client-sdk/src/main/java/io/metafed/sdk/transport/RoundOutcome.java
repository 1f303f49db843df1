package io.metafed.sdk.transport;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link FederatedParticipant#participate()} call did. For {@link Kind#SUBMITTED} the round, the
 * model version adapted and the update's example count and support losses; otherwise {@link #NO_ROUND},
 * version −1, 0 examples and NaN losses. Always when to call again: {@code retryAfter} is the coordinator's
 * {@code Retry-After} when it sent one (with {@link Kind#NO_TASK}), and {@code nextPoll} the time to schedule the
 * next call at (now + {@code retryAfter}, or + the participant's poll interval without one), e.g. as the initial
 * delay of the app's next WorkManager job.
 */
public record RoundOutcome(Kind kind, int roundId, long modelVersion, int exampleCount, double lossBefore,
        double lossAfter, Optional<Duration> retryAfter, Instant nextPoll) {
    public static final int NO_ROUND = -1;

    public enum Kind {
        /** The coordinator had no task for this device now. */
        NO_TASK,
        /** The device has no ratings to adapt on, so it did not ask for a task. */
        NO_RATINGS,
        /** The app's {@link EligibilityCheck} said no (e.g. not charging), so it did not ask for a task. */
        NOT_ELIGIBLE,
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
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isPresent() && retryAfter.get().isNegative()) {
            throw new IllegalArgumentException("retryAfter must be >= 0, found " + retryAfter.get());
        }
        Objects.requireNonNull(nextPoll, "nextPoll");
    }

    static RoundOutcome nothing(Kind kind, Optional<Duration> retryAfter, Instant nextPoll) {
        return new RoundOutcome(kind, NO_ROUND, -1, 0, Double.NaN, Double.NaN, retryAfter, nextPoll);
    }

    public boolean submitted() {
        return kind == Kind.SUBMITTED;
    }
}
