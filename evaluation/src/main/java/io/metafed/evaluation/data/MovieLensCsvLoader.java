package io.metafed.evaluation.data;

import io.metafed.model.data.Dataset;
import io.metafed.model.data.RatingScale;
import io.metafed.model.data.RatingTable;
import io.metafed.model.data.UserProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MovieLens 20M, 25M, 32M, latest and latest-small as GroupLens publishes them: UTF-8 CSV with a header.
 * <ul>
 *   <li>{@code ratings.csv}: {@code userId,movieId,rating,timestamp}, half stars 0.5–5, epoch seconds;</li>
 *   <li>{@code movies.csv}: {@code movieId,title,genres}; titles containing commas or quotes are quoted
 *       ({@code "American President, The (1995)"}), the year is in the title when known, genres are
 *       pipe-separated or {@code (no genres listed)}.</li>
 * </ul>
 * No demographics: users are known by id only.
 */
final class MovieLensCsvLoader {
    static final String RATINGS_HEADER = "userId,movieId,rating,timestamp";
    static final String MOVIES_HEADER = "movieId,title,genres";

    private MovieLensCsvLoader() {
    }

    static Dataset read(DataLoader.Context ctx) {
        RatingScale scale = RatingScale.HALF_STARS;
        Path moviesFile = ctx.dir.resolve("movies.csv");
        Path ratingsFile = ctx.dir.resolve("ratings.csv");
        Movies movies = new Movies();
        ctx.read(moviesFile, StandardCharsets.UTF_8, (line, text) -> {
            if (line == 1) {
                requireHeader(moviesFile, text, MOVIES_HEADER);
                return;
            }
            List<String> f = TextFiles.csv(moviesFile, line, text, ',');
            if (f.size() != 3) {
                throw new DataFormatException(moviesFile, line, "expected 3 fields (" + MOVIES_HEADER + "), found "
                        + f.size());
            }
            movies.add(moviesFile, line, TextFiles.parseId(moviesFile, line, f.get(0), "movieId"), f.get(1), f.get(2));
        });
        TextFiles.requireNonEmpty(moviesFile, movies.size());
        RatingTable.Builder ratings = new RatingTable.Builder(1 << 20);
        IntIndex seenUsers = new IntIndex(1 << 12);
        ctx.readRatings(ratingsFile, StandardCharsets.UTF_8, (line, text) -> {
            if (line == 1) {
                requireHeader(ratingsFile, text, RATINGS_HEADER);
                return;
            }
            String[] f = TextFiles.split(ratingsFile, line, text, ",", 4);
            int user = TextFiles.parseId(ratingsFile, line, f[0], "userId");
            int item = TextFiles.parseId(ratingsFile, line, f[1], "movieId");
            float rating = TextFiles.parseRating(ratingsFile, line, f[2], scale);
            long ts = TextFiles.parseLong(ratingsFile, line, f[3], "timestamp");
            if (!movies.contains(item)) {
                throw new DataFormatException(ratingsFile, line, "movieId " + item + " is not in movies.csv");
            }
            seenUsers.add(user);
            ratings.add(user, item, rating, ts, line);
        });
        TextFiles.requireNonEmpty(ratingsFile, ratings.size());
        Duplicates.resolve(ratings, ratingsFile, ctx.options.duplicates(), ctx.warnings);
        Map<Integer, UserProfile> users = new HashMap<>();
        for (int u = 0; u < seenUsers.size(); u++) {
            users.put(seenUsers.key(u), UserProfile.unknown(seenUsers.key(u)));
        }
        return new Dataset(DataFormat.MOVIELENS_CSV.label(), ratings.build(), users, movies.profiles(),
                movies.genres(), List.of(), scale, List.of(), List.of());
    }

    static void requireHeader(Path file, String text, String expected) {
        String header = text.startsWith("\uFEFF") ? text.substring(1) : text;
        if (!header.trim().equals(expected)) {
            throw new DataFormatException(file, 1, "header must be '" + expected + "', found '" + text + "'");
        }
    }
}
