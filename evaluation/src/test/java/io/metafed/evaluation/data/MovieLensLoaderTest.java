package io.metafed.evaluation.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.metafed.model.data.Dataset;
import io.metafed.model.data.Gender;
import io.metafed.model.data.ItemProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensLoaderTest {
    @TempDir
    Path dir;

    /** A valid three-genre miniature in the MovieLens layout; each test corrupts one line. */
    private void writeValid() throws IOException {
        write("u.genre", "unknown|0\nAction|1\nDrama|2\n\n");
        write("u.occupation", "engineer\nstudent\n");
        write("u.user", "1|24|M|engineer|85711\n2|53|F|student|T8H1N\n");
        Files.writeString(dir.resolve("u.item"), "1|Misérables, Les (1995)|01-Jan-1995||http://x|0|1|1\n"
                + "2|Unknown (????)|||http://y|1|0|0\n", StandardCharsets.ISO_8859_1);
        write("u.data", "1\t1\t5\t881250949\n2\t1\t3\t881250950\n1\t2\t1\t881250951\n");
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
    }

    @Test
    void load_validMiniature_readsEverythingIncludingLatin1Titles() throws IOException {
        writeValid();
        Dataset d = MovieLensLoader.load(dir);
        assertEquals(3, d.interactions().size());
        assertEquals(2, d.users().size());
        assertEquals("Misérables, Les (1995)", d.item(1).title());
        assertEquals(1995, d.item(1).releaseYear());
        assertEquals(ItemProfile.UNKNOWN_YEAR, d.item(2).releaseYear());
        assertEquals(Gender.FEMALE, d.user(2).gender());
        assertEquals(1, d.user(2).occupation());
        assertEquals(2, d.item(1).genreCount());
        assertEquals(3.0, d.meanRating(), 1e-9);
    }

    @Test
    void load_ratingOutOfRange_namesFileAndLine() throws IOException {
        writeValid();
        write("u.data", "1\t1\t5\t881250949\n2\t1\t7\t881250950\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> MovieLensLoader.load(dir));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("u.data:2: rating must be on the scale 1–5 in steps of 1, found 7"), e.getMessage());
    }

    @Test
    void load_wrongFieldCount_saysExpectedAndFound() throws IOException {
        writeValid();
        write("u.user", "1|24|M|engineer|85711\n2|53|F|student\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> MovieLensLoader.load(dir));
        assertTrue(e.getMessage().contains("u.user:2: expected 5 fields separated by '|', found 4"), e.getMessage());
    }

    @Test
    void load_nonNumericId_namesField() throws IOException {
        writeValid();
        write("u.data", "1\tx\t5\t881250949\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> MovieLensLoader.load(dir));
        assertTrue(e.getMessage().contains("u.data:1: item id must be an integer, found 'x'"), e.getMessage());
    }

    @Test
    void load_unknownOccupation_isRejected() throws IOException {
        writeValid();
        write("u.user", "1|24|M|astronaut|85711\n2|53|F|student|1\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> MovieLensLoader.load(dir));
        assertTrue(e.getMessage().contains("u.user:1: unknown occupation 'astronaut'"), e.getMessage());
    }

    @Test
    void load_singularOfListedPluralOccupation_isAccepted() throws IOException {
        writeValid();
        write("u.occupation", "engineers\nstudent\n");
        assertEquals(0, MovieLensLoader.load(dir).user(1).occupation());
    }

    @Test
    void load_ratingOfUnknownUser_isRejected() throws IOException {
        writeValid();
        write("u.data", "1\t1\t5\t881250949\n9\t1\t3\t881250950\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> MovieLensLoader.load(dir));
        assertTrue(e.getMessage().contains("u.data:2: user id 9 is not in u.user"), e.getMessage());
    }

    @Test
    void load_badGenreFlag_isRejected() throws IOException {
        writeValid();
        write("u.item", "1|A (1995)|01-Jan-1995||http://x|0|2|1\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> MovieLensLoader.load(dir));
        assertTrue(e.getMessage().contains("u.item:1: genre flag 1 must be 0 or 1, found '2'"), e.getMessage());
    }

    @Test
    void load_missingFile_namesIt() throws IOException {
        writeValid();
        Files.delete(dir.resolve("u.item"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MovieLensLoader.load(dir));
        assertTrue(e.getMessage().contains("u.item"), e.getMessage());
    }

    @Test
    void load_missingDirectory_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> MovieLensLoader.load(dir.resolve("nope")));
    }

    @Test
    void load_realMovieLens100k_matchesManifestCounts() {
        Path real = Path.of(System.getProperty("metafed.movielens.dir", "../shared/data/ml-100k"));
        assumeTrue(Files.isRegularFile(real.resolve("u.data")), "MovieLens-100K not present at " + real);
        Dataset d = MovieLensLoader.load(real);
        assertEquals(100_000, d.interactions().size());
        assertEquals(943, d.users().size());
        assertEquals(1682, d.items().size());
        assertEquals(19, d.genres().size());
        assertEquals(21, d.occupations().size());
        // This copy holds EF BF BD (a UTF-8 replacement character, read as Latin-1) where the original had 'é'.
        assertTrue(d.item(543).title().startsWith("Mis") && d.item(543).title().endsWith("rables, Les (1995)"));
        long fives = d.interactions().stream().filter(i -> i.rating() == 5f).count();
        assertEquals(21_201, fives);
    }
}
