package io.metafed.model.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Gender;
import io.metafed.model.data.Interaction;
import io.metafed.model.data.ItemProfile;
import io.metafed.model.data.UserProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The schema a dataset gets: only the fields it has, year buckets fitted to its catalogue. */
class FeatureSchemaOfTest {
    private static Map<Integer, ItemProfile> catalogue(int from, int to) {
        Map<Integer, ItemProfile> items = new HashMap<>();
        for (int y = from; y <= to; y++) {
            items.put(y, new ItemProfile(y, "t", y, new boolean[0]));
        }
        return items;
    }

    @Test
    void yearBuckets_fitTheRange_soRecentItemsAreDistinguishable() {
        List<Integer> edges = YearBuckets.fit(catalogue(1990, 2018).values(), YearBuckets.DEFAULT_BUCKETS);
        assertEquals(6, edges.size());
        assertTrue(YearBuckets.bucket(edges, 1997) < YearBuckets.bucket(edges, 2010),
                "1997 and 2010 fall into different buckets: " + edges);
        assertEquals(7, YearBuckets.bucket(edges, 2018));
        assertEquals(1, YearBuckets.bucket(edges, 1990));
        assertEquals(0, YearBuckets.bucket(edges, ItemProfile.UNKNOWN_YEAR));
        // The legacy buckets lumped everything from 1997 on together.
        assertEquals(FeatureEncoder.yearBucket(1997), FeatureEncoder.yearBucket(2010));
    }

    @Test
    void yearBuckets_repeatedYearsCollapse_andOneYearGivesNone() {
        Map<Integer, ItemProfile> items = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            items.put(i, new ItemProfile(i, "t", i < 45 ? 1995 : 1996, new boolean[0]));
        }
        assertEquals(List.of(1996), YearBuckets.fit(items.values(), 7));
        assertEquals(List.of(), YearBuckets.fit(catalogue(2000, 2000).values(), 7));
        assertEquals(List.of("unknown", "<1995", "1995–1999", "≥2000"), YearBuckets.labels(List.of(1995, 2000)));
    }

    @Test
    void noDemographics_itemFieldsOnly_andUnknownsEncodeToZero() {
        Map<Integer, UserProfile> users = Map.of(1, UserProfile.unknown(1));
        Map<Integer, ItemProfile> items = new HashMap<>(catalogue(1990, 2000));
        items.put(1, new ItemProfile(1, "x", ItemProfile.UNKNOWN_YEAR, new boolean[0]));
        List<Interaction> ratings = new ArrayList<>();
        ratings.add(new Interaction(1, 1990, 4, 1));
        Dataset d = new Dataset("d", ratings, users, items, List.of(), List.of());
        FeatureSchema schema = FeatureSchema.of(d);
        assertEquals(List.of("year"), schema.fields().stream().map(FieldSpec::name).toList());
        assertTrue(schema.describe().startsWith("year:8<"), schema.describe());
    }

    @Test
    void partlyKnownGender_keepsTheField_unknownRowsHaveNoGenderColumn() {
        Dataset syn = SyntheticDataGenerator.generate(SyntheticConfig.small(1));
        FeatureSchema schema = FeatureSchema.of(syn);
        FeatureEncoder encoder = new FeatureEncoder(schema);
        UserProfile unknown = new UserProfile(5, Gender.UNKNOWN, UserProfile.UNKNOWN_AGE,
                UserProfile.UNKNOWN_OCCUPATION, "");
        float[] row = new float[schema.width()];
        encoder.encode(unknown, syn.item(1), row, 0);
        int user = 0;
        for (String f : List.of("gender", "age", "occupation", "zip")) {
            int o = schema.offset(schema.indexOf(f));
            for (int c = 0; c < schema.fields().get(schema.indexOf(f)).size(); c++) {
                user += row[o + c] != 0 ? 1 : 0;
            }
        }
        assertEquals(0, user, "an unknown user contributes no user feature");
    }

    @Test
    void noSideInformation_isRefusedWithAHint() {
        Dataset d = new Dataset("bare", List.of(new Interaction(1, 1, 3, 0)), Map.of(1, UserProfile.unknown(1)),
                Map.of(1, new ItemProfile(1, "i", ItemProfile.UNKNOWN_YEAR, new boolean[0])), List.of(), List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureSchema.of(d));
        assertTrue(e.getMessage().startsWith("bare has no side information the model can use"), e.getMessage());
    }

    @Test
    void bucketedField_sizeMustMatchEdges() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FieldSpec("year", 5, false, List.of(1990, 2000)));
        assertEquals("field year with 2 bucket edges must have size 4, found 5", e.getMessage());
    }
}
