package io.metafed.model.features;

import io.metafed.model.data.Attribute;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Gender;
import io.metafed.model.data.UserProfile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ordered input fields of the model. Rows of the feature matrix are the concatenation of the fields'
 * blocks in this order, so a schema fixes both the encoder's output and the model's embedding tables.
 * <p>
 * Field names the {@link FeatureEncoder} knows: {@code gender}, {@code age}, {@code occupation}, {@code zip}
 * (user), {@code genre} (item, multi-hot), {@code year} (item, bucketed), and generic attributes: {@code u_*}
 * fields are the dataset's user attributes in order, {@code i_*} its item attributes.
 */
public record FeatureSchema(List<FieldSpec> fields) {
    public static final int GENDERS = 2;
    public static final int AGE_BUCKETS = 7;
    public static final int ZIP_PREFIXES = 11;
    public static final int YEAR_BUCKETS = 8;

    public FeatureSchema {
        fields = List.copyOf(fields);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("fields must not be empty");
        }
        Set<String> names = new HashSet<>();
        for (FieldSpec f : fields) {
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("field names must be unique, found '" + f.name() + "' twice");
            }
        }
    }

    /**
     * The MeLU-style schema with every field: user gender, age bucket, occupation and zip prefix; item genres
     * (multi-hot, mean pooled) and the fixed legacy release-year buckets.
     */
    public static FeatureSchema standard(int occupations, int genres) {
        return new FeatureSchema(List.of(
                new FieldSpec("gender", GENDERS, false),
                new FieldSpec("age", AGE_BUCKETS, false),
                new FieldSpec("occupation", occupations, false),
                new FieldSpec("zip", ZIP_PREFIXES, false),
                new FieldSpec("genre", genres, true),
                new FieldSpec("year", YEAR_BUCKETS, false)));
    }

    /** The schema of {@code data}: {@link #of(Dataset)}. */
    public static FeatureSchema standard(Dataset data) {
        return of(data);
    }

    /**
     * The fields {@code data} has, in the standard order, then its generic attributes: a user field only when
     * some user has that part known, genres only when the dataset has a vocabulary, the year only when known
     * years differ (bucketed at the catalogue's quantiles, {@link YearBuckets}). A dataset without demographics
     * (MovieLens 10M and later) thus has item fields only.
     *
     * @throws IllegalArgumentException when the dataset has no side information at all
     */
    public static FeatureSchema of(Dataset data) {
        List<FieldSpec> fields = new ArrayList<>();
        boolean gender = false;
        boolean age = false;
        boolean occupation = false;
        boolean zip = false;
        for (UserProfile u : data.users().values()) {
            gender |= u.gender() != Gender.UNKNOWN;
            age |= u.age() != UserProfile.UNKNOWN_AGE;
            occupation |= u.occupation() != UserProfile.UNKNOWN_OCCUPATION;
            zip |= !u.zip().isEmpty();
        }
        if (gender) {
            fields.add(new FieldSpec("gender", GENDERS, false));
        }
        if (age) {
            fields.add(new FieldSpec("age", AGE_BUCKETS, false));
        }
        if (occupation && !data.occupations().isEmpty()) {
            fields.add(new FieldSpec("occupation", data.occupations().size(), false));
        }
        if (zip) {
            fields.add(new FieldSpec("zip", ZIP_PREFIXES, false));
        }
        if (!data.genres().isEmpty()) {
            fields.add(new FieldSpec("genre", data.genres().size(), true));
        }
        List<Integer> edges = YearBuckets.fit(data.items().values(), YearBuckets.DEFAULT_BUCKETS);
        if (!edges.isEmpty()) {
            fields.add(FieldSpec.bucketed("year", edges));
        }
        for (Attribute a : data.userAttributes()) {
            fields.add(new FieldSpec(a.field(), a.values().size(), a.multiHot()));
        }
        for (Attribute a : data.itemAttributes()) {
            fields.add(new FieldSpec(a.field(), a.values().size(), a.multiHot()));
        }
        if (fields.isEmpty()) {
            throw new IllegalArgumentException(data.source() + " has no side information the model can use: no "
                    + "demographics, genres, years or attributes; give items.csv/users.csv attribute files");
        }
        return new FeatureSchema(fields);
    }

    /**
     * The item-side fields of this schema (genre, year, {@code i_*} attributes) in their order, or null when it has
     * none: what the collaborative model's content tower reads.
     */
    public FeatureSchema itemFields() {
        List<FieldSpec> items = new ArrayList<>();
        for (FieldSpec f : fields) {
            if (isItemField(f.name())) {
                items.add(f);
            }
        }
        return items.isEmpty() ? null : new FeatureSchema(items);
    }

    /** @throws IllegalArgumentException naming the first field that describes users, not items */
    public void requireItemOnly() {
        for (FieldSpec f : fields) {
            if (!isItemField(f.name())) {
                throw new IllegalArgumentException("a content schema has item fields only (genre, year, i_*), found '"
                        + f.name() + "'");
            }
        }
    }

    private static boolean isItemField(String name) {
        return name.equals("genre") || name.equals("year") || name.startsWith("i_");
    }

    /** True when the schema has a field called {@code name}. */
    public boolean has(String name) {
        for (FieldSpec f : fields) {
            if (f.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Number of columns of the feature matrix. */
    public int width() {
        int w = 0;
        for (FieldSpec f : fields) {
            w += f.size();
        }
        return w;
    }

    /** First column of field {@code index}. */
    public int offset(int index) {
        int o = 0;
        for (int i = 0; i < index; i++) {
            o += fields.get(i).size();
        }
        return o;
    }

    public int indexOf(String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("schema has no field '" + name + "'; fields are " + fields);
    }

    /**
     * The schema whose {@link #describe()} is {@code text}, e.g. {@code genre:19m,year:7<1980|1990|1995|1997|1998>}:
     * fields {@code name:size}, {@code m} when multi-hot, bucket edges in angle brackets. How an operator tells a
     * coordinator the content schema its devices encode items with.
     *
     * @throws IllegalArgumentException naming the field that does not parse
     */
    public static FeatureSchema parse(String text) {
        List<FieldSpec> fields = new ArrayList<>();
        for (String part : text.trim().split(",", -1)) {
            String f = part.trim();
            int colon = f.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("field '" + f + "' must be name:size[m][<edge|edge...>]");
            }
            String name = f.substring(0, colon);
            String rest = f.substring(colon + 1);
            List<Integer> edges = new ArrayList<>();
            int lt = rest.indexOf('<');
            if (lt >= 0) {
                if (!rest.endsWith(">")) {
                    throw new IllegalArgumentException("field '" + f + "': bucket edges must end with '>'");
                }
                for (String e : rest.substring(lt + 1, rest.length() - 1).split("\\|", -1)) {
                    edges.add(number(e, f));
                }
                rest = rest.substring(0, lt);
            }
            boolean multiHot = rest.endsWith("m");
            int size = number(multiHot ? rest.substring(0, rest.length() - 1) : rest, f);
            fields.add(new FieldSpec(name, size, multiHot, edges));
        }
        return new FeatureSchema(fields);
    }

    private static int number(String text, String field) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("field '" + field + "': '" + text + "' is not a number");
        }
    }

    /** Canonical text form, used for layout identity. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (FieldSpec f : fields) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(f.describe());
        }
        return sb.toString();
    }
}
