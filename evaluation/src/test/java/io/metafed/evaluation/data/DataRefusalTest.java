package io.metafed.evaluation.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.data.RatingScale;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a data directory is refused, each with the message naming file, line and problem. */
class DataRefusalTest {
    @TempDir
    Path tmp;

    private Path withFile(String fixture, String file, String content) throws IOException {
        Path dir = Fixtures.copy(fixture, tmp);
        Files.writeString(dir.resolve(file), content, StandardCharsets.ISO_8859_1);
        return dir;
    }

    private Path appending(String fixture, String file, String line) throws IOException {
        Path dir = Fixtures.copy(fixture, tmp);
        Files.writeString(dir.resolve(file), line, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        return dir;
    }

    private static void refused(Path dir, String expected) {
        refused(dir, LoadOptions.defaults(), expected);
    }

    private static void refused(Path dir, LoadOptions options, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataLoader.load(dir, options));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void noKnownLayout_listsWhatIsThereAndWhatIsExpected() throws IOException {
        Files.writeString(tmp.resolve("notes.txt"), "hello");
        refused(tmp, "no known data layout in " + tmp.toAbsolutePath() + " (it holds notes.txt); expected u.data");
    }

    @Test
    void missingDirectory() {
        refused(tmp.resolve("nope"), "data directory does not exist");
    }

    @Test
    void missingMoviesFile_withForcedFormat() throws IOException {
        Path dir = Fixtures.copy("ml-1m", tmp);
        Files.delete(dir.resolve("movies.dat"));
        refused(dir, "data file is missing: " + dir.resolve("movies.dat").toAbsolutePath());
    }

    @Test
    void duplicate_refused_namesLineOfRepeatAndOfOriginal() throws IOException {
        Path dir = appending("ml-1m", "ratings.dat", "2::4::3::1500000999\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Fixtures.load(dir, DuplicatePolicy.REFUSE));
        assertEquals(9, e.line());
        assertTrue(e.getMessage().endsWith("ratings.dat:9: duplicate rating of item 4 by user 2 (also at line 6); "
                + "1 repeated (user, item) rating in all; --duplicates keep-last keeps the last of each"),
                e.getMessage());
    }

    @Test
    void unknownUser_in1mRatings() throws IOException {
        refused(appending("ml-1m", "ratings.dat", "9::1::3::1500000999\n"),
                "ratings.dat:9: user id 9 is not in users.dat");
    }

    @Test
    void unknownMovie_inCsvRatings() throws IOException {
        refused(appending("ml-latest-small", "ratings.csv", "1,999,3.0,1500000999\n"),
                "ratings.csv:11: movieId 999 is not in movies.csv");
    }

    @Test
    void unknownItem_inGenericInteractions() throws IOException {
        refused(appending("generic", "interactions.tsv", "1\t77\t5\t1600000600\n"),
                "interactions.tsv:8: item id 77 is not in items.csv");
    }

    @Test
    void wrongFieldCount_inDatRatings() throws IOException {
        refused(appending("ml-1m", "ratings.dat", "1::4::3\n"),
                "ratings.dat:9: expected 4 fields separated by '::', found 3");
    }

    @Test
    void halfStar_in1m_isOffItsScale() throws IOException {
        refused(appending("ml-1m", "ratings.dat", "1::4::3.5::1500000999\n"),
                "ratings.dat:9: rating must be on the scale 1–5 in steps of 1, found 3.5");
    }

    @Test
    void ratingOffTheHalfStarGrid_inCsv() throws IOException {
        refused(appending("ml-latest-small", "ratings.csv", "1,11,3.3,1500000999\n"),
                "ratings.csv:11: rating must be on the scale 0.5–5 in steps of 0.5, found 3.3");
    }

    @Test
    void nonNumericRating() throws IOException {
        refused(appending("ml-10m", "ratings.dat", "1::292::good::1500000999\n"),
                "ratings.dat:9: rating must be a number, found 'good'");
    }

    @Test
    void csvHeader_mustBeThePublishedOne() throws IOException {
        refused(withFile("ml-latest-small", "ratings.csv", "user,movie,rating,timestamp\n1,1,4.0,1500000999\n"),
                "ratings.csv:1: header must be 'userId,movieId,rating,timestamp', found 'user,movie,rating,timestamp'");
    }

    @Test
    void unterminatedQuote_inMoviesCsv() throws IOException {
        refused(appending("ml-latest-small", "movies.csv", "77,\"Broken, The (1999),Drama\n"),
                "movies.csv:9: quoted field 2 has no closing quote");
    }

    @Test
    void invalidUtf8_inCsvRatings() throws IOException {
        Path dir = Fixtures.copy("ml-latest-small", tmp);
        Files.write(dir.resolve("ratings.csv"), new byte[] {'u', 's', 'e', 'r', (byte) 0xFF, '\n'},
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        refused(dir, "ratings.csv:1: not valid UTF-8 text");
    }

    @Test
    void invalidAgeCode_andGender_in1mUsers() throws IOException {
        refused(appending("ml-1m", "users.dat", "4::M::30::1::12345\n"),
                "users.dat:4: age must be one of the codes [1, 18, 25, 35, 45, 50, 56], found 30");
        Path other = tmp.resolve("second");
        Files.createDirectories(other);
        Path dir = Fixtures.copy("ml-1m", other);
        Files.writeString(dir.resolve("users.dat"), "4::X::25::1::12345\n", java.nio.file.StandardOpenOption.APPEND);
        refused(dir, "users.dat:4: gender must be M or F, found 'X'");
    }

    @Test
    void duplicateMovieId() throws IOException {
        refused(appending("ml-10m", "movies.dat", "122::Again (1999)::Drama\n"),
                "movies.dat:6: duplicate movie id 122 (also at line 1)");
    }

    @Test
    void generic_headerWithoutRatingColumn() throws IOException {
        refused(withFile("generic", "interactions.tsv", "user\titem\tstars\n1\t10\t5\n"),
                "interactions.tsv:1: header must name a rating column (one of [rating, score]), found [user, item, stars]");
    }

    @Test
    void generic_ratingOutsideDeclaredScale() throws IOException {
        refused(appending("generic", "interactions.tsv", "1\t30\t11\t1600000600\n"),
                new LoadOptions(null, DuplicatePolicy.KEEP_LAST, new RatingScale(1, 10, 1)),
                "interactions.tsv:8: rating must be on the scale 1–10 in steps of 1, found 11");
    }

    @Test
    void generic_freeTextColumn_isNotACategory() throws IOException {
        StringBuilder items = new StringBuilder("item,comment\n10,a\n20,b\n30,c\n");
        for (int i = 0; i < GenericLoader.MAX_CATEGORIES + 1; i++) {
            items.append(1000 + i).append(",note ").append(i).append('\n');
        }
        refused(withFile("generic", "items.csv", items.toString()),
                "items.csv:1: column 'comment' has 1004 distinct values, more than 1000");
    }

    @Test
    void declaredScale_contradictingAPublishedOne() {
        refused(Fixtures.resource("ml-1m"), new LoadOptions(null, DuplicatePolicy.KEEP_LAST, RatingScale.HALF_STARS),
                "--rating-scale 0.5–5 in steps of 0.5 contradicts the movielens-1m layout, whose ratings are 1–5 in steps of 1");
    }
}
