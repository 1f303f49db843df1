package io.metafed.evaluation.baseline;

import io.metafed.model.data.Interaction;
import io.metafed.model.data.RatingScale;
import java.util.List;
import java.util.Objects;

/** Argument checks shared by the baselines' fitting methods. */
final class Training {
    private Training() {
    }

    /** Non-null, non-empty and free of null elements, so a fit never sees a partial set silently. */
    static List<Interaction> check(List<Interaction> training) {
        Objects.requireNonNull(training, "training");
        if (training.isEmpty()) {
            throw new IllegalArgumentException("training must contain at least one interaction, found 0");
        }
        for (int i = 0; i < training.size(); i++) {
            if (training.get(i) == null) {
                throw new IllegalArgumentException("training[" + i + "] must not be null");
            }
        }
        return training;
    }

    static double mean(List<Interaction> training) {
        double sum = 0;
        for (Interaction in : training) {
            sum += in.rating();
        }
        return sum / training.size();
    }

    /** The scale a fit clamps to: the given one, or the default whole-star 1–5. */
    static RatingScale scaleOf(RatingScale scale) {
        return scale != null ? scale : RatingScale.ONE_TO_FIVE;
    }
}
