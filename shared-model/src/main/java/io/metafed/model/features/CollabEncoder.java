package io.metafed.model.features;

import io.metafed.model.data.Interaction;
import io.metafed.model.data.ItemProfile;
import io.metafed.model.data.Profiles;
import io.metafed.model.nn.CollabBatch;
import io.metafed.model.nn.CollabConfig;
import java.util.Arrays;
import java.util.List;

/**
 * Inputs of the {@link CollabConfig collaborative model}: an item's table row and its content row x_i = [the
 * item fields of the model's content schema ({@link FeatureEncoder}: genres mean-pooled, fitted year bucket, the
 * dataset's categorical attributes), 1]; for a legacy model without a schema [genres (multi-hot, mean-pooled),
 * release-year bucket (one-hot, {@link FeatureEncoder#yearBucket}), 1]. The constant
 * column gives the content tower a catalogue-wide bias and vector, the starting point for any new item.
 */
public final class CollabEncoder {
    private final CollabConfig config;
    private final Profiles catalog;
    private final int genres;
    /** The content schema's encoder; null for the legacy content row. */
    private final FeatureEncoder items;

    /** Items as {@code config} says: its content schema, or the legacy row with the genres its width implies. */
    public CollabEncoder(CollabConfig config, Profiles catalog) {
        this(config, catalog, config.content() == null ? config.contentWidth() - contentWidth(0) : -1);
    }

    /** @param genres the catalogue's genre count, for a legacy content row; ignored with a content schema */
    public CollabEncoder(CollabConfig config, Profiles catalog, int genres) {
        this.config = config;
        this.catalog = catalog;
        this.items = config.content() == null ? null : new FeatureEncoder(config.content());
        this.genres = genres;
        if (items == null && contentWidth(genres) != config.contentWidth()) {
            throw new IllegalArgumentException("model content width must be " + contentWidth(genres) + " for "
                    + genres + " genres, found " + config.contentWidth());
        }
    }

    /** Content columns for a catalogue with {@code genres} genres. */
    public static int contentWidth(int genres) {
        return genres + FeatureSchema.YEAR_BUCKETS + 1;
    }

    public CollabConfig config() {
        return config;
    }

    /** @throws IllegalArgumentException naming the item when it is not in the catalog */
    public void requireItem(int item) {
        catalog.item(item);
    }

    /** Writes x_i of {@code item} into {@code dst[row * width ..]}, overwriting the whole row. */
    public void content(ItemProfile item, float[] dst, int row) {
        int width = config.contentWidth();
        int base = row * width;
        Arrays.fill(dst, base, base + width, 0f);
        if (items != null) {
            items.encodeItem(item, dst, base);
            dst[base + width - 1] = 1f;
            return;
        }
        boolean[] flags = item.genres();
        if (flags.length != genres) {
            throw new IllegalArgumentException("item " + item.id() + " must have " + genres + " genre flags, found "
                    + flags.length);
        }
        int n = item.genreCount();
        for (int g = 0; g < genres; g++) {
            if (flags[g]) {
                dst[base + g] = 1f / n;
            }
        }
        dst[base + genres + FeatureEncoder.yearBucket(item.releaseYear())] = 1f;
        dst[base + width - 1] = 1f;
    }

    /** A unit-weight batch of the given interactions (non-empty). */
    public CollabBatch encode(List<Interaction> interactions) {
        int n = interactions.size();
        if (n == 0) {
            throw new IllegalArgumentException("interactions must not be empty");
        }
        int[] items = new int[n];
        float[] y = new float[n];
        for (int r = 0; r < n; r++) {
            items[r] = interactions.get(r).item();
            y[r] = interactions.get(r).rating();
        }
        return encode(items, y);
    }

    /** A unit-weight batch of {@code items} with {@code ratings} (for scoring, the ratings are ignored). */
    public CollabBatch encode(int[] items, float[] ratings) {
        int n = items.length;
        int[] rows = new int[n];
        float[] x = new float[n * config.contentWidth()];
        float[] w = new float[n];
        for (int r = 0; r < n; r++) {
            rows[r] = config.row(items[r]);
            content(catalog.item(items[r]), x, r);
            w[r] = 1f;
        }
        return new CollabBatch(rows, x, ratings, w, n, config.contentWidth());
    }

    /** Rows for scoring {@code items} (no labels). */
    public CollabBatch candidates(int[] items) {
        return encode(items, new float[items.length]);
    }
}
