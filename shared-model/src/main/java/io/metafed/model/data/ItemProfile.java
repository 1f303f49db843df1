package io.metafed.model.data;

import io.metafed.model.Checks;
import java.util.Arrays;
import java.util.Objects;

/**
 * Side information about an item, the cold-start signal for a new item.
 *
 * @param releaseYear year of release, or {@link #UNKNOWN_YEAR}
 * @param genres      multi-hot genre flags, indexed like {@link Dataset#genres()}
 */
public record ItemProfile(int id, String title, int releaseYear, boolean[] genres) {
    public static final int UNKNOWN_YEAR = 0;

    public ItemProfile {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(genres, "genres");
        if (releaseYear != UNKNOWN_YEAR) {
            Checks.inRange(releaseYear, 1800, 2100, "releaseYear");
        }
        genres = genres.clone();
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
                && title.equals(other.title) && Arrays.equals(genres, other.genres);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, title, releaseYear, Arrays.hashCode(genres));
    }

    @Override
    public String toString() {
        return "ItemProfile[id=" + id + ", title=" + title + ", releaseYear=" + releaseYear
                + ", genres=" + Arrays.toString(genres) + "]";
    }
}
