package io.metafed.evaluation.data;

import io.metafed.model.data.Dataset;
import io.metafed.model.data.Gender;
import io.metafed.model.data.ItemProfile;
import io.metafed.model.data.RatingScale;
import io.metafed.model.data.RatingTable;
import io.metafed.model.data.UserProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the MovieLens-100K directory layout: {@code u.data} (tab-separated user, item, rating, timestamp),
 * {@code u.user} ({@code id|age|gender|occupation|zip}), {@code u.item} (Latin-1; id, title, release date,
 * video date, URL and 19 genre flags), {@code u.genre} ({@code name|index}) and {@code u.occupation}.
 * Any malformed line raises a {@link DataFormatException} naming file, line and problem.
 */
public final class MovieLensLoader {
    private static final int ITEM_FIXED_FIELDS = 5;

    private MovieLensLoader() {
    }

    /** The dataset in {@code dir}, which must have the 100K layout; duplicates are refused. */
    public static Dataset load(Path dir) {
        return DataLoader.load(dir, new LoadOptions(DataFormat.MOVIELENS_100K, DuplicatePolicy.REFUSE, null))
                .dataset();
    }

    static Dataset read(DataLoader.Context ctx) {
        Path dir = ctx.dir;
        List<String> genres = readGenres(ctx, dir.resolve("u.genre"));
        List<String> occupations = readOccupations(ctx, dir.resolve("u.occupation"));
        Map<String, Integer> occupationIndex = new HashMap<>();
        for (int i = 0; i < occupations.size(); i++) {
            occupationIndex.put(occupations.get(i), i);
        }
        Map<Integer, UserProfile> users = readUsers(ctx, dir.resolve("u.user"), occupationIndex);
        Map<Integer, ItemProfile> items = readItems(ctx, dir.resolve("u.item"), genres.size());
        RatingTable ratings = readRatings(ctx, dir.resolve("u.data"), users, items);
        return new Dataset(DataFormat.MOVIELENS_100K.label(), ratings, users, items, genres, occupations,
                RatingScale.ONE_TO_FIVE, List.of(), List.of());
    }

    private static List<String> readGenres(DataLoader.Context ctx, Path file) {
        List<String> genres = new ArrayList<>();
        ctx.read(file, StandardCharsets.ISO_8859_1, (line, text) -> {
            if (text.trim().isEmpty()) {
                return;
            }
            String[] f = TextFiles.split(file, line, text, "|", 2);
            int index = TextFiles.parseInt(file, line, f[1], "genre index");
            if (index != genres.size()) {
                throw new DataFormatException(file, line, "genre index must be " + genres.size() + ", found " + index);
            }
            genres.add(f[0]);
        });
        TextFiles.requireNonEmpty(file, genres.size());
        return genres;
    }

    private static List<String> readOccupations(DataLoader.Context ctx, Path file) {
        List<String> occupations = new ArrayList<>();
        ctx.read(file, StandardCharsets.ISO_8859_1, (line, text) -> {
            if (!text.trim().isEmpty()) {
                occupations.add(text.trim());
            }
        });
        TextFiles.requireNonEmpty(file, occupations.size());
        return occupations;
    }

    private static Map<Integer, UserProfile> readUsers(DataLoader.Context ctx, Path file,
                                                       Map<String, Integer> occupationIndex) {
        Map<Integer, UserProfile> users = new HashMap<>();
        ctx.read(file, StandardCharsets.ISO_8859_1, (line, text) -> {
            String[] f = TextFiles.split(file, line, text, "|", 5);
            int id = TextFiles.parseId(file, line, f[0], "user id");
            int age = TextFiles.parseInt(file, line, f[1], "age");
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

    private static Map<Integer, ItemProfile> readItems(DataLoader.Context ctx, Path file, int genreCount) {
        Map<Integer, ItemProfile> items = new HashMap<>();
        ctx.read(file, StandardCharsets.ISO_8859_1, (line, text) -> {
            String[] f = TextFiles.split(file, line, text, "|", ITEM_FIXED_FIELDS + genreCount);
            int id = TextFiles.parseId(file, line, f[0], "item id");
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
        int year = TextFiles.parseInt(file, line, date.substring(date.length() - 4), "release year");
        if (year < ItemProfile.MIN_YEAR || year > ItemProfile.MAX_YEAR) {
            throw new DataFormatException(file, line, "release year must be in [1800, 2100], found " + year);
        }
        return year;
    }

    private static RatingTable readRatings(DataLoader.Context ctx, Path file, Map<Integer, UserProfile> users,
                                           Map<Integer, ItemProfile> items) {
        RatingTable.Builder ratings = new RatingTable.Builder(100_000);
        ctx.readRatings(file, StandardCharsets.US_ASCII, (line, text) -> {
            String[] f = TextFiles.split(file, line, text, "\t", 4);
            int user = TextFiles.parseId(file, line, f[0], "user id");
            int item = TextFiles.parseId(file, line, f[1], "item id");
            float rating = TextFiles.parseRating(file, line, f[2], RatingScale.ONE_TO_FIVE);
            long ts = TextFiles.parseLong(file, line, f[3], "timestamp");
            if (!users.containsKey(user)) {
                throw new DataFormatException(file, line, "user id " + user + " is not in u.user");
            }
            if (!items.containsKey(item)) {
                throw new DataFormatException(file, line, "item id " + item + " is not in u.item");
            }
            ratings.add(user, item, rating, ts, line);
        });
        TextFiles.requireNonEmpty(file, ratings.size());
        Duplicates.resolve(ratings, file, ctx.options.duplicates(), ctx.warnings);
        return ratings.build();
    }
}
