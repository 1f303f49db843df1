package io.metafed.sdk;

import java.util.Objects;

/**
 * One client's result of {@link MetafedClient#adaptTogether}: its update, or why its adaptation failed (no ratings,
 * a divergent adaptation, a singular ridge system), exactly where {@link MetafedClient#adapt} would have thrown
 * {@link IllegalStateException}. One client's failure never fails the others of its group.
 */
public final class AdaptationOutcome {
    private final LocalUpdate update;
    private final IllegalStateException failure;

    private AdaptationOutcome(LocalUpdate update, IllegalStateException failure) {
        this.update = update;
        this.failure = failure;
    }

    static AdaptationOutcome of(LocalUpdate update) {
        return new AdaptationOutcome(Objects.requireNonNull(update, "update"), null);
    }

    static AdaptationOutcome failed(IllegalStateException failure) {
        return new AdaptationOutcome(null, Objects.requireNonNull(failure, "failure"));
    }

    public boolean succeeded() {
        return update != null;
    }

    /**
     * The update.
     *
     * @throws IllegalStateException the client's failure, as {@link MetafedClient#adapt} would have thrown it
     */
    public LocalUpdate update() {
        if (failure != null) {
            throw failure;
        }
        return update;
    }

    /** Why the adaptation failed, or null when it succeeded. */
    public IllegalStateException failure() {
        return failure;
    }

    @Override
    public String toString() {
        return failure == null ? "AdaptationOutcome[" + update + "]" : "AdaptationOutcome[failed: "
                + failure.getMessage() + "]";
    }
}
