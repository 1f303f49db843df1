package io.metafed.sdk;

import java.util.Comparator;

/** An item and its predicted rating for this device's user. */
public record Recommendation(int item, float score) {
    /** Best first: higher score first, ties broken by lower item id so rankings are deterministic. */
    public static final Comparator<Recommendation> BEST_FIRST =
            Comparator.comparing(Recommendation::score, Comparator.reverseOrder())
                    .thenComparingInt(Recommendation::item);

    public Recommendation {
        if (!Float.isFinite(score)) {
            throw new IllegalArgumentException("score of item " + item + " must be finite, found " + score);
        }
    }
}
