package io.metafed.model.features;

import io.metafed.model.data.Gender;
import io.metafed.model.data.ItemProfile;
import io.metafed.model.data.UserProfile;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a (user, item) pair into one row of the feature matrix of a {@link FeatureSchema}. Bucketing is
 * documented here because the same buckets must be used on every device. Fields may be absent from the schema
 * (a dataset without demographics has no user fields); an unknown value (gender, age, occupation, zip, year of
 * a bucketed year field, attribute) leaves its block zero, so it contributes no embedding.
 */
public final class FeatureEncoder {
    private enum Kind { GENDER, AGE, OCCUPATION, ZIP, GENRE, YEAR, LEGACY_YEAR, USER_ATTRIBUTE, ITEM_ATTRIBUTE }

    private final FeatureSchema schema;
    private final Kind[] kinds;
    private final int[] offsets;
    private final int[] sizes;
    private final int[] attributeIndex;
    private final List<List<Integer>> edges;

    public FeatureEncoder(FeatureSchema schema) {
        this.schema = schema;
        int n = schema.fields().size();
        kinds = new Kind[n];
        offsets = new int[n];
        sizes = new int[n];
        attributeIndex = new int[n];
        edges = new java.util.ArrayList<>();
        int userAttributes = 0;
        int itemAttributes = 0;
        for (int f = 0; f < n; f++) {
            FieldSpec spec = schema.fields().get(f);
            offsets[f] = schema.offset(f);
            sizes[f] = spec.size();
            edges.add(spec.bucketEdges());
            kinds[f] = switch (spec.name()) {
                case "gender" -> Kind.GENDER;
                case "age" -> Kind.AGE;
                case "occupation" -> Kind.OCCUPATION;
                case "zip" -> Kind.ZIP;
                case "genre" -> Kind.GENRE;
                case "year" -> spec.bucketEdges().isEmpty() ? Kind.LEGACY_YEAR : Kind.YEAR;
                default -> {
                    if (spec.name().startsWith("u_")) {
                        attributeIndex[f] = userAttributes++;
                        yield Kind.USER_ATTRIBUTE;
                    } else if (spec.name().startsWith("i_")) {
                        attributeIndex[f] = itemAttributes++;
                        yield Kind.ITEM_ATTRIBUTE;
                    }
                    throw new IllegalArgumentException("feature encoder does not know field '" + spec.name()
                            + "' (known: gender, age, occupation, zip, genre, year, u_* and i_* attributes)");
                }
            };
            int expected = switch (kinds[f]) {
                case GENDER -> FeatureSchema.GENDERS;
                case AGE -> FeatureSchema.AGE_BUCKETS;
                case ZIP -> FeatureSchema.ZIP_PREFIXES;
                case LEGACY_YEAR -> FeatureSchema.YEAR_BUCKETS;
                default -> spec.size();
            };
            if (spec.size() != expected) {
                throw new IllegalArgumentException("field " + spec.name() + " must have size " + expected + ", found "
                        + spec.size());
            }
        }
    }

    public FeatureSchema schema() {
        return schema;
    }

    public int width() {
        return schema.width();
    }

    /**
     * Writes the item fields of an item-only schema ({@link FeatureSchema#requireItemOnly()}) into
     * {@code dst[offset ..offset + width)}, which the caller has zeroed.
     */
    public void encodeItem(ItemProfile item, float[] dst, int offset) {
        for (int f = 0; f < kinds.length; f++) {
            int at = offset + offsets[f];
            switch (kinds[f]) {
                case GENRE -> encodeGenres(item, dst, at, sizes[f]);
                case YEAR -> dst[at + YearBuckets.bucket(edges.get(f), item.releaseYear())] = 1f;
                case LEGACY_YEAR -> dst[at + yearBucket(item.releaseYear())] = 1f;
                case ITEM_ATTRIBUTE -> multiHot(item.attributes().count() > attributeIndex[f]
                        ? item.attributes().of(attributeIndex[f]) : missing("item " + item.id(), f), dst, at, sizes[f], f);
                default -> throw new IllegalArgumentException("field " + schema.fields().get(f).name()
                        + " describes users; an item row has item fields only");
            }
        }
    }

    /** Writes the row for (user, item) into {@code dst[row * width ..]}, overwriting the whole row. */
    public void encode(UserProfile user, ItemProfile item, float[] dst, int row) {
        int base = row * schema.width();
        Arrays.fill(dst, base, base + schema.width(), 0f);
        for (int f = 0; f < kinds.length; f++) {
            int at = base + offsets[f];
            switch (kinds[f]) {
                case GENDER -> {
                    if (user.gender() != Gender.UNKNOWN) {
                        dst[at + user.gender().ordinal()] = 1f;
                    }
                }
                case AGE -> {
                    if (user.age() != UserProfile.UNKNOWN_AGE) {
                        dst[at + ageBucket(user.age())] = 1f;
                    }
                }
                case OCCUPATION -> {
                    if (user.occupation() >= sizes[f]) {
                        throw new IllegalArgumentException("user " + user.id() + " occupation must be < " + sizes[f]
                                + ", found " + user.occupation());
                    }
                    if (user.occupation() != UserProfile.UNKNOWN_OCCUPATION) {
                        dst[at + user.occupation()] = 1f;
                    }
                }
                case ZIP -> {
                    if (!user.zip().isEmpty()) {
                        dst[at + zipPrefix(user.zip())] = 1f;
                    }
                }
                case GENRE -> encodeGenres(item, dst, at, sizes[f]);
                case YEAR -> dst[at + YearBuckets.bucket(edges.get(f), item.releaseYear())] = 1f;
                case LEGACY_YEAR -> dst[at + yearBucket(item.releaseYear())] = 1f;
                case USER_ATTRIBUTE -> multiHot(user.attributes().count() > attributeIndex[f]
                        ? user.attributes().of(attributeIndex[f]) : missing("user " + user.id(), f), dst, at, sizes[f], f);
                case ITEM_ATTRIBUTE -> multiHot(item.attributes().count() > attributeIndex[f]
                        ? item.attributes().of(attributeIndex[f]) : missing("item " + item.id(), f), dst, at, sizes[f], f);
            }
        }
    }

    private int[] missing(String who, int field) {
        throw new IllegalArgumentException(who + " has no value for attribute field "
                + schema.fields().get(field).name());
    }

    private void multiHot(int[] values, float[] dst, int at, int size, int field) {
        for (int v : values) {
            if (v >= size) {
                throw new IllegalArgumentException("field " + schema.fields().get(field).name() + " value must be < "
                        + size + ", found " + v);
            }
            dst[at + v] = 1f / values.length;
        }
    }

    private static void encodeGenres(ItemProfile item, float[] dst, int at, int genreCount) {
        boolean[] genres = item.genres();
        if (genres.length != genreCount) {
            throw new IllegalArgumentException("item " + item.id() + " must have " + genreCount
                    + " genre flags, found " + genres.length);
        }
        int n = item.genreCount();
        for (int g = 0; g < genreCount; g++) {
            if (genres[g]) {
                dst[at + g] = 1f / n;
            }
        }
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

    /** The legacy fixed buckets: unknown, ≤1959, 1960s, 1970s, 1980s, 1990–94, 1995–96, ≥1997. */
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
