package io.metafed.model.baseline;

import io.metafed.model.data.Interaction;
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

    static double clamp(double rating) {
        return Math.max(Interaction.MIN_RATING, Math.min(Interaction.MAX_RATING, rating));
    }
}
