package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code --catalog} file: plain id lists and the MovieLens item files as they are, with errors naming the line. */
class CatalogFileTest {
    @TempDir
    Path dir;

    private Path file(String text) throws Exception {
        return Files.write(dir.resolve("catalog"), text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void read_idsCommentsAndBlankLines_ascending() throws Exception {
        assertArrayEquals(new int[] {2, 7, 30}, CatalogFile.read(file("# items\n30\n\n  7 \n2\n")));
    }

    @Test
    void read_movieLensItemFiles_firstFieldOfEachLine() throws Exception {
        // u.item (ML-100K, '|', Latin-1 titles), movies.dat (ML-1M, '::'), movies.csv (header line, ',').
        assertArrayEquals(new int[] {1, 2}, CatalogFile.read(file("1|Toy Story (1995)|01-Jan-1995||http://x|0|0\n"
                + "2|Caf\u00e9 (1995)|01-Jan-1995||http://y|0|1\n")));
        assertArrayEquals(new int[] {1, 3}, CatalogFile.read(file("1::Toy Story (1995)::Animation\n3::X::Y\n")));
        assertArrayEquals(new int[] {5, 9}, CatalogFile.read(file("movieId,title,genres\n9,A,Drama\n5,B,Comedy\n")));
    }

    @Test
    void read_badLines_namedWithTheirNumber() throws Exception {
        IllegalArgumentException notAnId = assertThrows(IllegalArgumentException.class,
                () -> CatalogFile.read(file("1\n2\nthree\n")));
        assertEquals(dir.resolve("catalog") + " line 3: 'three' is not an item id (an integer)", notAnId.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> CatalogFile.read(file("4\n# c\n4\n")));
        assertEquals(dir.resolve("catalog") + " line 3: item 4 is listed twice (first on line 1)", twice.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> CatalogFile.read(file("# nothing\n\n")));
        assertEquals(dir.resolve("catalog") + " lists no item ids", empty.getMessage());
    }
}
