package io.metafed.evaluation.data;

import io.metafed.model.data.Attribute;
import io.metafed.model.data.AttributeValues;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Gender;
import io.metafed.model.data.ItemProfile;
import io.metafed.model.data.RatingScale;
import io.metafed.model.data.RatingTable;
import io.metafed.model.data.UserProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The generic layout, for data that is not MovieLens: UTF-8, comma-separated ({@code .csv}, RFC 4180 quoting)
 * or tab-separated ({@code .tsv}), each file with a header naming its columns (case-insensitive).
 * <ul>
 *   <li>{@code interactions.csv|tsv}: columns {@code user}, {@code item}, {@code rating} and optionally
 *       {@code timestamp} (aliases: user_id/userId, item_id/itemId/movieId, score, time), in any order;</li>
 *   <li>{@code items.csv|tsv} (optional): an id column ({@code item}, {@code item_id} or {@code id}), optional
 *       {@code title} and {@code year}; every other column becomes a feature, multi-hot when any value lists
 *       several with {@code |} ("Action|Drama"), else categorical; an empty cell is unknown;</li>
 *   <li>{@code users.csv|tsv} (optional): an id column ({@code user}, {@code user_id} or {@code id}); every
 *       other column becomes a feature the same way.</li>
 * </ul>
 * With an attribute file, every id in the interactions must be in it. The rating scale is the declared one, or
 * inferred from the ratings.
 */
final class GenericLoader {
    /** More distinct values than this in a column is an identifier or free text, not a category. */
    static final int MAX_CATEGORIES = 1000;
    private static final List<String> USER_NAMES = List.of("user", "user_id", "userid");
    private static final List<String> ITEM_NAMES = List.of("item", "item_id", "itemid", "movieid", "movie_id");
    private static final List<String> RATING_NAMES = List.of("rating", "score");
    private static final List<String> TIME_NAMES = List.of("timestamp", "time", "ts");

    private GenericLoader() {
    }

    static Dataset read(DataLoader.Context ctx) {
        Path ratingsFile = DataFormat.GENERIC.ratingsFile(ctx.dir);
        Table items = readTable(ctx, find(ctx.dir, "items"), ITEM_NAMES);
        Table users = readTable(ctx, find(ctx.dir, "users"), USER_NAMES);
        RatingScale declared = ctx.options.scale();
        char sep = separator(ratingsFile);
        int[] columns = new int[5]; // user, item, rating, timestamp (-1: none), field count
        RatingTable.Builder ratings = new RatingTable.Builder(1 << 16);
        IntIndex seenUsers = new IntIndex(1 << 10);
        IntIndex seenItems = new IntIndex(1 << 10);
        float[] range = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        boolean[] grid = {true, true}; // all whole, all halves
        ctx.readRatings(ratingsFile, StandardCharsets.UTF_8, (line, text) -> {
            if (line == 1) {
                List<String> header = header(ratingsFile, text, sep);
                columns[0] = column(ratingsFile, header, USER_NAMES, true);
                columns[1] = column(ratingsFile, header, ITEM_NAMES, true);
                columns[2] = column(ratingsFile, header, RATING_NAMES, true);
                columns[3] = column(ratingsFile, header, TIME_NAMES, false);
                columns[4] = header.size();
                return;
            }
            if (text.isEmpty()) {
                throw new DataFormatException(ratingsFile, line, "empty line");
            }
            int width = columns[4];
            List<String> f = TextFiles.csv(ratingsFile, line, text, sep);
            if (f.size() != width) {
                throw new DataFormatException(ratingsFile, line, "expected " + width + " fields like the header, found "
                        + f.size());
            }
            int user = TextFiles.parseId(ratingsFile, line, f.get(columns[0]), "user id");
            int item = TextFiles.parseId(ratingsFile, line, f.get(columns[1]), "item id");
            float rating = TextFiles.parseRating(ratingsFile, line, f.get(columns[2]), declared);
            long ts = columns[3] < 0 ? 0 : TextFiles.parseLong(ratingsFile, line, f.get(columns[3]), "timestamp");
            if (users != null && !users.rows.containsKey(user)) {
                throw new DataFormatException(ratingsFile, line, "user id " + user + " is not in "
                        + users.file.getFileName());
            }
            if (items != null && !items.rows.containsKey(item)) {
                throw new DataFormatException(ratingsFile, line, "item id " + item + " is not in "
                        + items.file.getFileName());
            }
            range[0] = Math.min(range[0], rating);
            range[1] = Math.max(range[1], rating);
            grid[0] &= rating == Math.rint(rating);
            grid[1] &= rating * 2 == Math.rint(rating * 2);
            seenUsers.add(user);
            seenItems.add(item);
            ratings.add(user, item, rating, ts, line);
        });
        TextFiles.requireNonEmpty(ratingsFile, ratings.size());
        Duplicates.resolve(ratings, ratingsFile, ctx.options.duplicates(), ctx.warnings);
        RatingScale scale = declared;
        if (scale == null) {
            scale = RatingScale.inferred(range[0], range[1], grid[0], grid[1]);
            ctx.scaleInferred = true;
        }

        List<Attribute> userAttributes = users == null ? List.of() : users.attributes("u_");
        List<Attribute> itemAttributes = items == null ? List.of() : items.attributes("i_");
        Map<Integer, UserProfile> userProfiles = new HashMap<>();
        for (int u = 0; u < seenUsers.size(); u++) {
            int id = seenUsers.key(u);
            userProfiles.put(id, new UserProfile(id, Gender.UNKNOWN, UserProfile.UNKNOWN_AGE,
                    UserProfile.UNKNOWN_OCCUPATION, "", users == null ? AttributeValues.NONE : users.values(id)));
        }
        Map<Integer, ItemProfile> itemProfiles = new HashMap<>();
        for (int i = 0; i < seenItems.size(); i++) {
            int id = seenItems.key(i);
            itemProfiles.put(id, items == null ? new ItemProfile(id, "item " + id, ItemProfile.UNKNOWN_YEAR,
                    new boolean[0]) : items.item(id));
        }
        return new Dataset(DataFormat.GENERIC.label(), ratings.build(), userProfiles, itemProfiles, List.of(),
                List.of(), scale, userAttributes, itemAttributes);
    }

    private static Path find(Path dir, String name) {
        Path csv = dir.resolve(name + ".csv");
        Path tsv = dir.resolve(name + ".tsv");
        return Files.exists(csv) ? csv : Files.exists(tsv) ? tsv : null;
    }

    private static char separator(Path file) {
        return file.getFileName().toString().endsWith(".tsv") ? '\t' : ',';
    }

    private static List<String> header(Path file, String text, char sep) {
        String h = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<String> names = new ArrayList<>();
        for (String n : TextFiles.csv(file, 1, h, sep)) {
            names.add(n.trim().toLowerCase(Locale.ROOT));
        }
        return names;
    }

    /** Index of the column named by one of {@code names}, or -1 when optional and absent. */
    private static int column(Path file, List<String> header, List<String> names, boolean required) {
        int found = -1;
        for (int c = 0; c < header.size(); c++) {
            if (names.contains(header.get(c))) {
                if (found >= 0) {
                    throw new DataFormatException(file, 1, "header names the " + names.get(0) + " column twice ('"
                            + header.get(found) + "' and '" + header.get(c) + "')");
                }
                found = c;
            }
        }
        if (found < 0 && required) {
            throw new DataFormatException(file, 1, "header must name a " + names.get(0) + " column (one of " + names
                    + "), found " + header);
        }
        return found;
    }

    /** An attribute file: rows by id, raw cell text per column. */
    private static final class Table {
        final Path file;
        final List<String> header;
        final int idColumn;
        final Map<Integer, List<String>> rows = new HashMap<>();
        final Map<Integer, Integer> lines = new HashMap<>();
        private final Map<Integer, int[]> codes = new HashMap<>();
        private List<Integer> featureColumns;
        private List<Attribute> attributes;
        private int titleColumn = -1;
        private int yearColumn = -1;

        Table(Path file, List<String> header, int idColumn) {
            this.file = file;
            this.header = header;
            this.idColumn = idColumn;
        }

        /** Categorical or multi-hot attributes of every column but id, title and year, fields named prefix+name. */
        List<Attribute> attributes(String prefix) {
            if (attributes != null) {
                return attributes;
            }
            featureColumns = new ArrayList<>();
            attributes = new ArrayList<>();
            for (int c = 0; c < header.size(); c++) {
                String name = header.get(c);
                if (c == idColumn) {
                    continue;
                }
                if (name.equals("title") || name.equals("name")) {
                    titleColumn = c;
                    continue;
                }
                if (name.equals("year") && prefix.equals("i_")) {
                    yearColumn = c;
                    continue;
                }
                boolean multi = false;
                TreeSet<String> values = new TreeSet<>();
                for (List<String> row : rows.values()) {
                    String cell = row.get(c).trim();
                    multi |= cell.contains("|");
                    for (String v : TextFiles.split(cell, "|")) {
                        if (!v.trim().isEmpty()) {
                            values.add(v.trim());
                        }
                    }
                }
                if (values.isEmpty()) {
                    continue; // a column with no values carries no feature
                }
                if (values.size() > MAX_CATEGORIES) {
                    throw new DataFormatException(file, 1, "column '" + name + "' has " + values.size()
                            + " distinct values, more than " + MAX_CATEGORIES + ": an identifier or free text, not a "
                            + "category; remove it (or bucket it) to use this file");
                }
                featureColumns.add(c);
                attributes.add(new Attribute(prefix + fieldName(name), name, multi, List.copyOf(values)));
            }
            return attributes;
        }

        AttributeValues values(int id) {
            List<String> row = rows.get(id);
            int[][] out = new int[featureColumns.size()][];
            for (int a = 0; a < featureColumns.size(); a++) {
                List<String> vocabulary = attributes.get(a).values();
                String cell = row.get(featureColumns.get(a)).trim();
                TreeSet<Integer> idx = new TreeSet<>();
                for (String v : TextFiles.split(cell, "|")) {
                    if (!v.trim().isEmpty()) {
                        idx.add(java.util.Collections.binarySearch(vocabulary, v.trim()));
                    }
                }
                out[a] = idx.stream().mapToInt(Integer::intValue).toArray();
            }
            return new AttributeValues(out);
        }

        ItemProfile item(int id) {
            List<String> row = rows.get(id);
            String title = titleColumn < 0 ? "item " + id : row.get(titleColumn);
            int year = ItemProfile.UNKNOWN_YEAR;
            if (yearColumn >= 0 && !row.get(yearColumn).trim().isEmpty()) {
                int line = lines.get(id);
                year = TextFiles.parseInt(file, line, row.get(yearColumn), "year");
                if (year < ItemProfile.MIN_YEAR || year > ItemProfile.MAX_YEAR) {
                    throw new DataFormatException(file, line, "year must be in [" + ItemProfile.MIN_YEAR + ", "
                            + ItemProfile.MAX_YEAR + "] or empty, found " + year);
                }
            }
            return new ItemProfile(id, title, year, new boolean[0], values(id));
        }
    }

    /** A feature field name from a column name: lower case, runs of other characters as '_'. */
    static String fieldName(String column) {
        String s = column.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return s.isEmpty() ? "attr" : s;
    }

    private static Table readTable(DataLoader.Context ctx, Path file, List<String> idNames) {
        if (file == null) {
            return null;
        }
        char sep = separator(file);
        Table[] table = new Table[1];
        List<String> ids = new ArrayList<>(idNames);
        ids.add("id");
        ctx.read(file, StandardCharsets.UTF_8, (line, text) -> {
            if (line == 1) {
                List<String> header = header(file, text, sep);
                table[0] = new Table(file, header, column(file, header, ids, true));
                return;
            }
            Table t = table[0];
            List<String> f = TextFiles.csv(file, line, text, sep);
            if (f.size() != t.header.size()) {
                throw new DataFormatException(file, line, "expected " + t.header.size()
                        + " fields like the header, found " + f.size());
            }
            int id = TextFiles.parseId(file, line, f.get(t.idColumn), "id");
            Integer previous = t.lines.put(id, line);
            if (previous != null) {
                throw new DataFormatException(file, line, "duplicate id " + id + " (also at line " + previous + ")");
            }
            t.rows.put(id, f);
        });
        if (table[0] == null) {
            throw new DataFormatException(file, 1, "file is empty; it needs a header");
        }
        // Fixes the attribute columns (and finds title/year) before profiles are built.
        table[0].attributes(idNames == USER_NAMES ? "u_" : "i_");
        return table[0];
    }
}
