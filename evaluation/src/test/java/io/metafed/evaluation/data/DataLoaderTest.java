package io.metafed.evaluation.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.data.Attribute;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Gender;
import io.metafed.model.data.Interaction;
import io.metafed.model.data.ItemProfile;
import io.metafed.model.data.RatingScale;
import io.metafed.model.data.RatingTable;
import io.metafed.model.data.UserProfile;
import io.metafed.model.features.FeatureEncoder;
import io.metafed.model.features.FeatureSchema;
import io.metafed.model.features.FieldSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each published layout read from a fixture written in exactly that layout. */
class DataLoaderTest {
    @TempDir
    Path tmp;

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static List<String> fieldNames(Dataset d) {
        return FeatureSchema.of(d).fields().stream().map(FieldSpec::name).toList();
    }

    @Test
    void movieLens1m_readsUsersMoviesAndRatingsInLatin1() throws Exception {
        Path dir = Fixtures.resource("ml-1m");
        LoadedData loaded = Fixtures.load(dir);
        Dataset d = loaded.dataset();
        assertEquals(DataFormat.MOVIELENS_1M, loaded.format());
        assertEquals(3, d.users().size());
        assertEquals(5, d.items().size());
        assertEquals(8, d.interactions().size());
        assertEquals(RatingScale.ONE_TO_FIVE, d.scale());
        UserProfile u1 = d.user(1);
        assertEquals(Gender.FEMALE, u1.gender());
        assertEquals(1, u1.age()); // the code of "Under 18"
        assertEquals(0, FeatureEncoder.ageBucket(u1.age()));
        assertEquals("K-12 student", d.occupations().get(u1.occupation()));
        assertEquals(6, FeatureEncoder.ageBucket(d.user(2).age())); // code 56 = "56+"
        assertEquals("City of Lost Children, The (Cité des enfants perdus, La) (1995)", d.item(3).title());
        assertEquals(1999, d.item(5).releaseYear());
        assertEquals(List.of("Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Fantasy",
                "Sci-Fi", "Thriller"), d.genres());
        assertTrue(d.item(1).hasGenre(d.genres().indexOf("Children's")));
        assertEquals(List.of("gender", "age", "occupation", "zip", "genre", "year"), fieldNames(d));
        assertEquals("ratings.dat", loaded.ratingsFile().name());
        assertEquals(Files.size(dir.resolve("ratings.dat")), loaded.ratingsFile().bytes());
        assertEquals(sha256(dir.resolve("ratings.dat")), loaded.ratingsFile().sha256());
        assertEquals(3, loaded.files().size());
        assertTrue(loaded.warnings().isEmpty());
    }

    @Test
    void movieLens10m_halfStarsWithoutUsersFile_hasItemFeaturesOnly() {
        LoadedData loaded = Fixtures.load(Fixtures.resource("ml-10m"));
        Dataset d = loaded.dataset();
        assertEquals(DataFormat.MOVIELENS_10M, loaded.format());
        assertEquals(RatingScale.HALF_STARS, d.scale());
        assertEquals(3, d.users().size());
        assertEquals(Gender.UNKNOWN, d.user(2).gender());
        assertEquals(0.5f, d.interactions().get(2).rating());
        assertEquals(4.5f, d.interactions().get(1).rating());
        assertEquals(0, d.item(8606).genreCount()); // "(no genres listed)"
        assertFalse(d.genres().contains(Movies.NO_GENRES));
        assertEquals(List.of("genre", "year"), fieldNames(d));
    }

    @Test
    void movieLensCsv_quotedTitlesHalfStarsAndYearsFromTitles() {
        LoadedData loaded = Fixtures.load(Fixtures.resource("ml-latest-small"));
        Dataset d = loaded.dataset();
        assertEquals(DataFormat.MOVIELENS_CSV, loaded.format());
        assertEquals(9, d.interactions().size());
        assertEquals(7, d.items().size());
        assertEquals("American President, The (1995)", d.item(11).title());
        assertEquals(1995, d.item(11).releaseYear());
        assertEquals("\"Great Performances\" Cats (1998)", d.item(40).title());
        assertEquals(1998, d.item(40).releaseYear());
        assertEquals(2006, d.item(171749).releaseYear()); // "(2006–2007)"
        assertEquals(0, d.item(149532).genreCount());
        assertEquals(3, d.item(11).genreCount());
        assertEquals(0.5f, d.interactions().get(3).rating());
        assertEquals("ratings.csv", loaded.ratingsFile().name());
        assertEquals(List.of("genre", "year"), fieldNames(d));
    }

    @Test
    void generic_headerNamedColumnsAndAttributeFiles_becomeFeatures() {
        LoadedData loaded = Fixtures.load(Fixtures.resource("generic"));
        Dataset d = loaded.dataset();
        assertEquals(DataFormat.GENERIC, loaded.format());
        assertTrue(loaded.scaleInferred());
        assertEquals(new RatingScale(1, 10, 1), d.scale());
        assertEquals(6, d.interactions().size());
        assertEquals(1_600_000_300L, d.interactions().get(3).timestamp());
        assertEquals(List.of("u_country", "u_plan"), d.userAttributes().stream().map(Attribute::field).toList());
        Attribute genres = d.itemAttributes().get(0);
        assertEquals("i_genres", genres.field());
        assertTrue(genres.multiHot());
        assertEquals(List.of("Comedy", "Drama"), genres.values());
        Attribute studio = d.itemAttributes().get(1);
        assertFalse(studio.multiHot());
        assertEquals(List.of("North", "South"), studio.values());
        assertEquals("Alpha, the first", d.item(10).title());
        assertEquals(2001, d.item(10).releaseYear());
        assertEquals(ItemProfile.UNKNOWN_YEAR, d.item(30).releaseYear());
        assertArrayEquals(new int[0], d.user(2).attributes().of(1)); // empty plan: unknown
        assertEquals(List.of("year", "u_country", "u_plan", "i_genres", "i_studio"), fieldNames(d));

        // The row of (user 1, item 10): country SE, plan free, genres Comedy+Drama mean-pooled, studio North.
        FeatureSchema schema = FeatureSchema.of(d);
        FeatureEncoder encoder = new FeatureEncoder(schema);
        float[] row = new float[schema.width()];
        encoder.encode(d.user(1), d.item(10), row, 0);
        int country = schema.offset(schema.indexOf("u_country"));
        assertEquals(1f, row[country + 1]); // SE
        assertEquals(0f, row[country]);
        int g = schema.offset(schema.indexOf("i_genres"));
        assertEquals(0.5f, row[g]);
        assertEquals(0.5f, row[g + 1]);
        encoder.encode(d.user(2), d.item(30), row, 0);
        int plan = schema.offset(schema.indexOf("u_plan"));
        assertEquals(0f, row[plan] + row[plan + 1]); // unknown plan: no feature
        assertEquals(1f, row[schema.offset(schema.indexOf("year"))]); // unknown year: column 0
    }

    @Test
    void generic_declaredScale_isUsedAndNotInferred() {
        LoadedData loaded = DataLoader.load(Fixtures.resource("generic"),
                new LoadOptions(null, DuplicatePolicy.KEEP_LAST, new RatingScale(0, 10, 0.5f)));
        assertFalse(loaded.scaleInferred());
        assertEquals(new RatingScale(0, 10, 0.5f), loaded.dataset().scale());
    }

    @Test
    void formatOverride_readsThe1mDirectoryAs10m() {
        LoadedData loaded = DataLoader.load(Fixtures.resource("ml-1m"),
                LoadOptions.defaults().withFormat(DataFormat.MOVIELENS_10M));
        assertEquals(DataFormat.MOVIELENS_10M, loaded.format());
        assertEquals(Gender.UNKNOWN, loaded.dataset().user(1).gender());
    }

    @Test
    void duplicates_keepLast_keepsTheLaterRatingAndWarnsOnce() throws IOException {
        Path dir = Fixtures.copy("ml-1m", tmp);
        Files.writeString(dir.resolve("ratings.dat"), "1::1::1::1500000999\n1::1::2::1500001000\n",
                java.nio.file.StandardOpenOption.APPEND);
        LoadedData loaded = Fixtures.load(dir, DuplicatePolicy.KEEP_LAST);
        Dataset d = loaded.dataset();
        assertEquals(8, d.interactions().size());
        Interaction kept = d.interactions().stream().filter(in -> in.user() == 1 && in.item() == 1).findFirst()
                .orElseThrow();
        assertEquals(2f, kept.rating());
        assertEquals(List.of("ratings.dat: 2 duplicate (user, item) ratings dropped, the last of each kept "
                + "(--duplicates refuse stops instead)"), loaded.warnings());
    }

    @Test
    void ratingTable_viewMatchesColumns() {
        RatingTable t = RatingTable.of(List.of(new Interaction(1, 2, 3.5f, 4), new Interaction(5, 6, 1f, 7)));
        assertEquals(2, t.size());
        assertEquals(new Interaction(5, 6, 1f, 7), t.get(1));
        assertEquals(3.5f, t.rating(0));
        assertEquals(40, t.bytes());
    }
}
