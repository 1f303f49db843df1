package io.metafed.coordinator.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The item catalogue of a collaborative model ({@code CoordinatorMain --catalog FILE}): the item ids the model has
 * table rows for. One id per line, or the first field of a delimited line, so a MovieLens item file works as it is
 * ({@code u.item}: {@code |}; {@code movies.dat}: {@code ::}; {@code movies.csv}: {@code ,}, with its header line).
 * Blank lines and lines starting with {@code #} are skipped; the first remaining line may be a header when its first
 * field is not a number. Read as ISO-8859-1, which decodes any byte, so a Latin-1 title never fails the read.
 */
public final class CatalogFile {
    private CatalogFile() {
    }

    /**
     * The ids of {@code file}, ascending.
     *
     * @throws IllegalArgumentException naming the file and line of a field that is not an item id, of an id listed
     *                                  twice, or a file without ids
     */
    public static int[] read(Path file) throws IOException {
        int[] ids = new int[64];
        int count = 0;
        Map<Integer, Integer> lineOf = new HashMap<>();
        boolean first = true;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            int lineNo = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                String text = line.trim();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                String field = firstField(text);
                Integer id = parse(field);
                if (id == null) {
                    if (first) {
                        first = false;
                        continue; // a header such as "movieId,title,genres"
                    }
                    throw new IllegalArgumentException(file + " line " + lineNo + ": '" + field
                            + "' is not an item id (an integer)");
                }
                first = false;
                Integer earlier = lineOf.putIfAbsent(id, lineNo);
                if (earlier != null) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": item " + id
                            + " is listed twice (first on line " + earlier + ")");
                }
                if (count == ids.length) {
                    ids = Arrays.copyOf(ids, ids.length * 2);
                }
                ids[count++] = id;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException(file + " lists no item ids");
        }
        int[] sorted = Arrays.copyOf(ids, count);
        Arrays.sort(sorted);
        return sorted;
    }

    private static String firstField(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == '|' || c == ':' || c == ';' || c == '\t' || c == ' ') {
                return text.substring(0, i);
            }
        }
        return text;
    }

    private static Integer parse(String field) {
        try {
            return Integer.valueOf(field);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
