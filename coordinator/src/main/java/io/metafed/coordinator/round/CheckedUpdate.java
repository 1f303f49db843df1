package io.metafed.coordinator.round;

import io.metafed.model.nn.ParamVector;
import java.util.Objects;

/**
 * The content checks of one update (layout, length, weight, finiteness, norm; see {@link UpdateChecks}), run
 * before the coordinator takes its lock: they read all of Δ and depend only on the update and the layout, so
 * concurrent submissions do that O(model size) work in parallel instead of one at a time under the lock. The
 * outcome, Δ and its norm or the refusal, is replayed by {@link Round#submit(ClientUpdate, CheckedUpdate)} at the
 * very point where the round checks content, so refusals keep their order (a stale round is still reported before
 * a malformed Δ) and an accepted update is counted exactly as before.
 */
public final class CheckedUpdate {
    private final ClientUpdate update;
    private final long layoutId;
    private final int size;
    private final ParamVector delta;   // null when refused
    private final double norm;
    private final CoordinatorException refusal; // null when the content is fine

    private CheckedUpdate(ClientUpdate update, long layoutId, int size, ParamVector delta, double norm,
            CoordinatorException refusal) {
        this.update = update;
        this.layoutId = layoutId;
        this.size = size;
        this.delta = delta;
        this.norm = norm;
        this.refusal = refusal;
    }

    /** Runs the content checks of {@code update} against a model of layout {@code layoutId} and {@code size}. */
    public static CheckedUpdate of(ClientUpdate update, long layoutId, int size) {
        Objects.requireNonNull(update, "update");
        try {
            double norm = UpdateChecks.contentNorm(update, layoutId, size);
            return new CheckedUpdate(update, layoutId, size, update.deltaVector(), norm, null);
        } catch (CoordinatorException e) {
            return new CheckedUpdate(update, layoutId, size, null, Double.NaN, e);
        }
    }

    /** The update these checks are of. */
    public ClientUpdate update() {
        return update;
    }

    /** Whether these checks are the ones a round of {@code layoutId} and {@code size} would run on {@code u}. */
    boolean appliesTo(ClientUpdate u, long expectedLayoutId, int expectedSize) {
        return u == update && layoutId == expectedLayoutId && size == expectedSize;
    }

    /** Δ, or the refusal the checks found. */
    ParamVector delta() {
        if (refusal != null) {
            throw refusal;
        }
        return delta;
    }

    /** ‖Δ‖₂ as {@link ParamVector#norm()} computes it; only after {@link #delta()} returned. */
    double norm() {
        return norm;
    }
}
