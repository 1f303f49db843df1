package io.metafed.model.features;

import io.metafed.model.data.Dataset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ordered input fields of the model. Rows of the feature matrix are the concatenation of the fields'
 * blocks in this order, so a schema fixes both the encoder's output and the model's embedding tables.
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
     * The MeLU-style schema: user gender, age bucket, occupation and zip prefix; item genres (multi-hot, mean
     * pooled) and release-year bucket.
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

    public static FeatureSchema standard(Dataset data) {
        return standard(data.occupations().size(), data.genres().size());
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

    /** Canonical text form, used for layout identity. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (FieldSpec f : fields) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(f.name()).append(':').append(f.size()).append(f.multiHot() ? "m" : "");
        }
        return sb.toString();
    }
}
