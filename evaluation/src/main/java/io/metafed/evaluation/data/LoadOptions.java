package io.metafed.evaluation.data;

import io.metafed.model.data.RatingScale;
import java.util.Objects;

/**
 * How to read a data directory.
 *
 * @param format     the layout, or null to detect it from the files present
 * @param duplicates what to do with repeated (user, item) ratings
 * @param scale      the rating scale of a generic dataset, or null to infer it from the ratings (MovieLens layouts
 *                   have a fixed, published scale; a scale given for them must equal it)
 */
public record LoadOptions(DataFormat format, DuplicatePolicy duplicates, RatingScale scale) {
    public LoadOptions {
        Objects.requireNonNull(duplicates, "duplicates");
    }

    public static LoadOptions defaults() {
        return new LoadOptions(null, DuplicatePolicy.KEEP_LAST, null);
    }

    public LoadOptions withFormat(DataFormat f) {
        return new LoadOptions(f, duplicates, scale);
    }
}
