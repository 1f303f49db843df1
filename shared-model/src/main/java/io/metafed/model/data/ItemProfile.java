package io.metafed.model.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Side information about an item, the cold-start signal for a new item.
 *
 * @param releaseYear year of release, or {@link #UNKNOWN_YEAR} (also for years outside 1800–2100)
 * @param genres      multi-hot genre flags, indexed like {@link Dataset#genres()} (empty when it has none)
 * @param attributes  values of the dataset's generic item attributes
 */
public record ItemProfile(int id, String title, int releaseYear, boolean[] genres, AttributeValues attributes) {
    public static final int UNKNOWN_YEAR = 0;
    public static final int MIN_YEAR = 1800;
    public static final int MAX_YEAR = 2100;

    public ItemProfile {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(genres, "genres");
        Objects.requireNonNull(attributes, "attributes");
        if (releaseYear != UNKNOWN_YEAR && (releaseYear < MIN_YEAR || releaseYear > MAX_YEAR)) {
            throw new IllegalArgumentException("releaseYear must be in [" + MIN_YEAR + ", " + MAX_YEAR
                    + "] or unknown (0), found " + releaseYear);
        }
        genres = genres.clone();
    }

    public ItemProfile(int id, String title, int releaseYear, boolean[] genres) {
        this(id, title, releaseYear, genres, AttributeValues.NONE);
    }

    @Override
    public boolean[] genres() {
        return genres.clone();
    }

    public boolean hasGenre(int index) {
        return genres[index];
    }

    public int genreCount() {
        int n = 0;
        for (boolean g : genres) {
            n += g ? 1 : 0;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ItemProfile other && id == other.id && releaseYear == other.releaseYear
                && title.equals(other.title) && Arrays.equals(genres, other.genres)
                && attributes.equals(other.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, title, releaseYear, Arrays.hashCode(genres), attributes);
    }

    @Override
    public String toString() {
        return "ItemProfile[id=" + id + ", title=" + title + ", releaseYear=" + releaseYear
                + ", genres=" + Arrays.toString(genres) + (attributes.count() > 0 ? ", attributes=" + attributes : "")
                + "]";
    }
}
