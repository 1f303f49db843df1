package io.metafed.model.features;

import io.metafed.model.data.ItemProfile;
import io.metafed.model.data.UserProfile;
import java.util.Arrays;

/**
 * Turns a (user, item) pair into one row of the feature matrix of the {@link FeatureSchema#standard standard}
 * schema. Bucketing is documented here because the same buckets must be used on every device.
 */
public final class FeatureEncoder {
    private final FeatureSchema schema;
    private final int gender;
    private final int age;
    private final int occupation;
    private final int zip;
    private final int genre;
    private final int year;
    private final int genreCount;
    private final int occupationCount;

    public FeatureEncoder(FeatureSchema schema) {
        this.schema = schema;
        this.gender = schema.offset(schema.indexOf("gender"));
        this.age = schema.offset(schema.indexOf("age"));
        this.occupation = schema.offset(schema.indexOf("occupation"));
        this.zip = schema.offset(schema.indexOf("zip"));
        this.genre = schema.offset(schema.indexOf("genre"));
        this.year = schema.offset(schema.indexOf("year"));
        this.genreCount = schema.fields().get(schema.indexOf("genre")).size();
        this.occupationCount = schema.fields().get(schema.indexOf("occupation")).size();
    }

    public FeatureSchema schema() {
        return schema;
    }

    public int width() {
        return schema.width();
    }

    /** Writes the row for (user, item) into {@code dst[row * width ..]}, overwriting the whole row. */
    public void encode(UserProfile user, ItemProfile item, float[] dst, int row) {
        int base = row * schema.width();
        Arrays.fill(dst, base, base + schema.width(), 0f);
        if (user.occupation() >= occupationCount) {
            throw new IllegalArgumentException("user " + user.id() + " occupation must be < " + occupationCount
                    + ", found " + user.occupation());
        }
        dst[base + gender + user.gender().ordinal()] = 1f;
        dst[base + age + ageBucket(user.age())] = 1f;
        dst[base + occupation + user.occupation()] = 1f;
        dst[base + zip + zipPrefix(user.zip())] = 1f;
        boolean[] genres = item.genres();
        if (genres.length != genreCount) {
            throw new IllegalArgumentException("item " + item.id() + " must have " + genreCount
                    + " genre flags, found " + genres.length);
        }
        int n = item.genreCount();
        for (int g = 0; g < genreCount; g++) {
            if (genres[g]) {
                dst[base + genre + g] = 1f / n;
            }
        }
        dst[base + year + yearBucket(item.releaseYear())] = 1f;
    }

    /** MovieLens-1M's age groups, as used by MeLU: under 18, 18–24, 25–34, 35–44, 45–49, 50–55, 56+. */
    public static int ageBucket(int age) {
        if (age < 18) {
            return 0;
        } else if (age < 25) {
            return 1;
        } else if (age < 35) {
            return 2;
        } else if (age < 45) {
            return 3;
        } else if (age < 50) {
            return 4;
        } else if (age < 56) {
            return 5;
        }
        return 6;
    }

    /** First digit of a US zip code (a coarse region), or 10 for codes that do not start with a digit. */
    public static int zipPrefix(String zip) {
        if (!zip.isEmpty() && zip.charAt(0) >= '0' && zip.charAt(0) <= '9') {
            return zip.charAt(0) - '0';
        }
        return FeatureSchema.ZIP_PREFIXES - 1;
    }

    /** Unknown, ≤1959, 1960s, 1970s, 1980s, 1990–94, 1995–96, ≥1997. */
    public static int yearBucket(int year) {
        if (year == ItemProfile.UNKNOWN_YEAR) {
            return 0;
        } else if (year < 1960) {
            return 1;
        } else if (year < 1970) {
            return 2;
        } else if (year < 1980) {
            return 3;
        } else if (year < 1990) {
            return 4;
        } else if (year < 1995) {
            return 5;
        } else if (year < 1997) {
            return 6;
        }
        return 7;
    }
}
