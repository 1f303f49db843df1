package io.metafed.model.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metafed.model.data.Gender;
import io.metafed.model.data.ItemProfile;
import io.metafed.model.data.UserProfile;
import org.junit.jupiter.api.Test;

class FeatureEncoderTest {

    @Test
    void encode_standardSchema_writesOneHotsAndMeanPooledGenres() {
        FeatureSchema schema = FeatureSchema.standard(21, 19);
        FeatureEncoder enc = new FeatureEncoder(schema);
        boolean[] genres = new boolean[19];
        genres[1] = true;
        genres[8] = true;
        float[] row = new float[2 * schema.width()];
        enc.encode(new UserProfile(1, Gender.FEMALE, 30, 4, "94043"), new ItemProfile(1, "t", 1995, genres), row, 1);
        int base = schema.width();
        assertEquals(68, schema.width());
        assertEquals(1f, row[base + 1]); // female
        assertEquals(1f, row[base + 2 + 2]); // age 25-34
        assertEquals(1f, row[base + 9 + 4]); // occupation 4
        assertEquals(1f, row[base + 30 + 9]); // zip prefix 9
        assertEquals(0.5f, row[base + 41 + 1]);
        assertEquals(0.5f, row[base + 41 + 8]);
        assertEquals(1f, row[base + 60 + 6]); // 1995-96
        float sum = 0;
        for (int i = base; i < row.length; i++) {
            sum += row[i];
        }
        assertEquals(6f, sum, 1e-6); // one unit of mass per field
        for (int i = 0; i < base; i++) {
            assertEquals(0f, row[i]);
        }
    }

    @Test
    void buckets_boundaries_matchDocumentation() {
        assertEquals(0, FeatureEncoder.ageBucket(17));
        assertEquals(1, FeatureEncoder.ageBucket(18));
        assertEquals(5, FeatureEncoder.ageBucket(55));
        assertEquals(6, FeatureEncoder.ageBucket(56));
        assertEquals(10, FeatureEncoder.zipPrefix("T8H1N"));
        assertEquals(0, FeatureEncoder.zipPrefix("01234"));
        assertEquals(0, FeatureEncoder.yearBucket(ItemProfile.UNKNOWN_YEAR));
        assertEquals(1, FeatureEncoder.yearBucket(1959));
        assertEquals(7, FeatureEncoder.yearBucket(1997));
    }
}
