package io.metafed.model.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.data.AttributeValues;
import io.metafed.model.data.ItemProfile;
import io.metafed.model.data.Profiles;
import io.metafed.model.data.UserProfile;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.ParamLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The content row of the collaborative model from a dataset's item fields. */
class CollabEncoderTest {
    /** genre (3, multi-hot), year over edges {1990, 2005} (unknown + 3 buckets), i_studio (2 values). */
    private static final FeatureSchema CONTENT = new FeatureSchema(List.of(new FieldSpec("genre", 3, true),
            FieldSpec.bucketed("year", List.of(1990, 2005)), new FieldSpec("i_studio", 2, false)));
    private static final ItemProfile FILM = new ItemProfile(7, "film", 1999, new boolean[] {true, false, true},
            new AttributeValues(new int[][] {{1}}));
    private static final Profiles CATALOG = new Profiles() {
        @Override
        public UserProfile user(int id) {
            throw new IllegalArgumentException("no users here");
        }

        @Override
        public ItemProfile item(int id) {
            if (id != 7) {
                throw new IllegalArgumentException("unknown item " + id);
            }
            return FILM;
        }
    };

    @Test
    void contentRow_followsTheSchemasItemFields_thenTheConstant() {
        CollabConfig config = CollabConfig.withContent(new int[] {7}, CONTENT, 2, 1, 1, 0);
        assertEquals(3 + 4 + 2 + 1, config.contentWidth());
        float[] row = new float[config.contentWidth()];
        new CollabEncoder(config, CATALOG).content(FILM, row, 0);
        // genres mean-pooled | year 1999 ∈ [1990, 2005): column 2 | studio 1 | constant
        assertArrayEquals(new float[] {0.5f, 0, 0.5f, 0, 0, 1, 0, 0, 1, 1}, row);
    }

    @Test
    void schemaIsPartOfTheLayout_andTheLegacyRowKeepsItsIdentity() {
        CollabConfig fitted = CollabConfig.withContent(new int[] {7}, CONTENT, 2, 1, 1, 0);
        CollabConfig otherEdges = CollabConfig.withContent(new int[] {7}, new FeatureSchema(List.of(
                new FieldSpec("genre", 3, true), FieldSpec.bucketed("year", List.of(1980, 2005)),
                new FieldSpec("i_studio", 2, false))), 2, 1, 1, 0);
        assertNotEquals(ParamLayout.of(fitted).id(), ParamLayout.of(otherEdges).id(),
                "devices bucketing differently must not share a layout");
        CollabConfig legacy = new CollabConfig(new int[] {7}, 10, 2, 1, 1, 0);
        assertEquals(legacy.describe(), new CollabConfig(new int[] {7}, 10, 2, 1, 1, 0, null).describe());
        assertTrue(!legacy.describe().contains("schema"), legacy.describe());
    }

    @Test
    void userFieldsOrAWrongWidth_areRefused() {
        FeatureSchema withUser = new FeatureSchema(List.of(new FieldSpec("gender", 2, false),
                new FieldSpec("genre", 3, true)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CollabConfig.withContent(new int[] {7}, withUser, 2, 1, 1, 0));
        assertTrue(e.getMessage().contains("'gender'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new CollabConfig(new int[] {7}, 9, 2, 1, 1, 0, CONTENT));
        assertTrue(e.getMessage().contains("= 10, found 9"), e.getMessage());
    }

    @Test
    void hashedItemRows_boundTheTableWhateverTheCatalogue() {
        int[] catalogue = new int[60_000];
        for (int i = 0; i < catalogue.length; i++) {
            catalogue[i] = 3 * i + 1;
        }
        CollabConfig exact = new CollabConfig(catalogue, 10, 16, 5, 5, 0.02);
        CollabConfig hashed = exact.withItemRows(4096);
        assertEquals(60_000, exact.items());
        assertEquals(4096, hashed.items());
        int d = 16;
        assertEquals(1 + 4096 * (d + 1) + 10 * (d + 1) + d + 1, ParamLayout.of(hashed).size());
        int[] used = new int[4096];
        for (int id : catalogue) {
            int row = hashed.row(id);
            assertTrue(row >= 0 && row < 4096, "row " + row);
            used[row]++;
        }
        long empty = java.util.Arrays.stream(used).filter(n -> n == 0).count();
        assertEquals(0, empty, "60,000 items over 4,096 rows leave none empty");
        assertEquals(-1, hashed.row(2), "an item outside the catalogue has no row");
        assertEquals(hashed.row(1), exact.withItemRows(4096).row(1), "the hash is fixed");
        assertNotEquals(ParamLayout.of(exact).id(), ParamLayout.of(hashed).id());
        assertThrows(IllegalArgumentException.class, () -> exact.withItemRows(-1));
    }
}
