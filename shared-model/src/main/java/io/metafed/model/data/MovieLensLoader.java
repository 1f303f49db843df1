package io.metafed.model.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the MovieLens-100K directory layout: {@code u.data} (tab-separated user, item, rating, timestamp),
 * {@code u.user} ({@code id|age|gender|occupation|zip}), {@code u.item} (Latin-1; id, title, release date,
 * video date, URL and 19 genre flags), {@code u.genre} ({@code name|index}) and {@code u.occupation}.
 * Any malformed line raises a {@link DataFormatException} naming file, line and problem.
 */
public final class MovieLensLoader {
    private static final Logger LOG = LoggerFactory.getLogger(MovieLensLoader.class);
    private static final int ITEM_FIXED_FIELDS = 5;

    private MovieLensLoader() {
    }

    public static Dataset load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("MovieLens directory does not exist: " + dir.toAbsolutePath());
        }
        List<String> genres = readGenres(dir.resolve("u.genre"));
        List<String> occupations = readOccupations(dir.resolve("u.occupation"));
        Map<String, Integer> occupationIndex = new HashMap<>();
        for (int i = 0; i < occupations.size(); i++) {
            occupationIndex.put(occupations.get(i), i);
        }
        Map<Integer, UserProfile> users = readUsers(dir.resolve("u.user"), occupationIndex);
        Map<Integer, ItemProfile> items = readItems(dir.resolve("u.item"), genres.size());
        List<Interaction> ratings = readRatings(dir.resolve("u.data"), users, items);
        LOG.info("Loaded MovieLens from {}: {} users, {} items, {} ratings", dir, users.size(), items.size(),
                ratings.size());
        return new Dataset("movielens-100k", ratings, users, items, genres, occupations);
    }

    private static List<String> readGenres(Path file) {
        List<String> genres = new ArrayList<>();
        forEachLine(file, StandardCharsets.ISO_8859_1, (line, text) -> {
            if (text.trim().isEmpty()) {
                return;
            }
            String[] f = split(file, line, text, '|', 2);
            int index = parseInt(file, line, f[1], "genre index");
            if (index != genres.size()) {
                throw new DataFormatException(file, line, "genre index must be " + genres.size() + ", found " + index);
            }
            genres.add(f[0]);
        });
        requireNonEmpty(file, genres);
        return genres;
    }

    private static List<String> readOccupations(Path file) {
        List<String> occupations = new ArrayList<>();
        forEachLine(file, StandardCharsets.ISO_8859_1, (line, text) -> {
            if (!text.trim().isEmpty()) {
                occupations.add(text.trim());
            }
        });
        requireNonEmpty(file, occupations);
        return occupations;
    }

    private static Map<Integer, UserProfile> readUsers(Path file, Map<String, Integer> occupationIndex) {
        Map<Integer, UserProfile> users = new HashMap<>();
        forEachLine(file, StandardCharsets.ISO_8859_1, (line, text) -> {
            String[] f = split(file, line, text, '|', 5);
            int id = parseInt(file, line, f[0], "user id");
            int age = parseInt(file, line, f[1], "age");
            // MovieLens-100K's u.occupation says "writers" where u.user says "writer": accept a plural-s alias.
            Integer occupation = occupationIndex.getOrDefault(f[3], occupationIndex.get(f[3] + "s"));
            if (occupation == null) {
                throw new DataFormatException(file, line, "unknown occupation '" + f[3] + "' (not in u.occupation)");
            }
            try {
                UserProfile u = new UserProfile(id, Gender.fromCode(f[2]), age, occupation, f[4]);
                if (users.put(id, u) != null) {
                    throw new DataFormatException(file, line, "duplicate user id " + id);
                }
            } catch (DataFormatException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new DataFormatException(file, line, e.getMessage(), e);
            }
        });
        return users;
    }

    private static Map<Integer, ItemProfile> readItems(Path file, int genreCount) {
        Map<Integer, ItemProfile> items = new HashMap<>();
        forEachLine(file, StandardCharsets.ISO_8859_1, (line, text) -> {
            String[] f = split(file, line, text, '|', ITEM_FIXED_FIELDS + genreCount);
            int id = parseInt(file, line, f[0], "item id");
            boolean[] flags = new boolean[genreCount];
            for (int g = 0; g < genreCount; g++) {
                String flag = f[ITEM_FIXED_FIELDS + g];
                if (!flag.equals("0") && !flag.equals("1")) {
                    throw new DataFormatException(file, line, "genre flag " + g + " must be 0 or 1, found '" + flag + "'");
                }
                flags[g] = flag.equals("1");
            }
            int year = parseReleaseYear(file, line, f[2]);
            if (items.put(id, new ItemProfile(id, f[1], year, flags)) != null) {
                throw new DataFormatException(file, line, "duplicate item id " + id);
            }
        });
        return items;
    }

    /** Release dates look like {@code 01-Jan-1995}; a few are empty (year unknown). */
    static int parseReleaseYear(Path file, int line, String date) {
        if (date.isEmpty()) {
            return ItemProfile.UNKNOWN_YEAR;
        }
        if (date.length() < 4) {
            throw new DataFormatException(file, line, "release date must look like dd-Mon-yyyy, found '" + date + "'");
        }
        int year = parseInt(file, line, date.substring(date.length() - 4), "release year");
        if (year < 1800 || year > 2100) {
            throw new DataFormatException(file, line, "release year must be in [1800, 2100], found " + year);
        }
        return year;
    }

    private static List<Interaction> readRatings(Path file, Map<Integer, UserProfile> users,
                                                 Map<Integer, ItemProfile> items) {
        List<Interaction> ratings = new ArrayList<>(100_000);
        forEachLine(file, StandardCharsets.US_ASCII, (line, text) -> {
            String[] f = split(file, line, text, '\t', 4);
            int user = parseInt(file, line, f[0], "user id");
            int item = parseInt(file, line, f[1], "item id");
            int rating = parseInt(file, line, f[2], "rating");
            long ts = parseLong(file, line, f[3], "timestamp");
            if (!users.containsKey(user)) {
                throw new DataFormatException(file, line, "user id " + user + " is not in u.user");
            }
            if (!items.containsKey(item)) {
                throw new DataFormatException(file, line, "item id " + item + " is not in u.item");
            }
            if (rating < 1 || rating > 5) {
                throw new DataFormatException(file, line, "rating must be in [1, 5], found " + rating);
            }
            ratings.add(new Interaction(user, item, rating, ts));
        });
        requireNonEmpty(file, ratings);
        return ratings;
    }

    private interface LineHandler {
        void accept(int line, String text);
    }

    private static void forEachLine(Path file, Charset charset, LineHandler handler) {
        try (BufferedReader reader = Files.newBufferedReader(file, charset)) {
            String text;
            int line = 0;
            while ((text = reader.readLine()) != null) {
                handler.accept(++line, text);
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("MovieLens file is missing: " + file.toAbsolutePath(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Unable to read " + file, e);
        }
    }

    private static String[] split(Path file, int line, String text, char sep, int expected) {
        String[] fields = text.split(java.util.regex.Pattern.quote(String.valueOf(sep)), -1);
        if (fields.length != expected) {
            throw new DataFormatException(file, line, "expected " + expected + " fields separated by '"
                    + (sep == '\t' ? "\\t" : String.valueOf(sep)) + "', found " + fields.length);
        }
        return fields;
    }

    private static int parseInt(Path file, int line, String s, String field) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, field + " must be an integer, found '" + s + "'", e);
        }
    }

    private static long parseLong(Path file, int line, String s, String field) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, field + " must be an integer, found '" + s + "'", e);
        }
    }

    private static void requireNonEmpty(Path file, List<?> rows) {
        if (rows.isEmpty()) {
            throw new DataFormatException(file, 1, "file has no records");
        }
    }
}
