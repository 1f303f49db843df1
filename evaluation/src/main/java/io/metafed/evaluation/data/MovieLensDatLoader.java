package io.metafed.evaluation.data;

import io.metafed.model.data.Dataset;
import io.metafed.model.data.Gender;
import io.metafed.model.data.RatingScale;
import io.metafed.model.data.RatingTable;
import io.metafed.model.data.UserProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MovieLens 1M and 10M as GroupLens publishes them: "::"-separated ISO-8859-1 files.
 * <ul>
 *   <li>{@code ratings.dat}: {@code UserID::MovieID::Rating::Timestamp} (1M whole stars 1–5, 10M half stars
 *       0.5–5; timestamps in epoch seconds);</li>
 *   <li>{@code movies.dat}: {@code MovieID::Title::Genres}, the year in the title ("Toy Story (1995)"), genres
 *       pipe-separated;</li>
 *   <li>{@code users.dat} (1M only): {@code UserID::Gender::Age::Occupation::Zip-code}, gender M/F, age one of
 *       the codes 1, 18, 25, 35, 45, 50, 56 (the lower bound of its group), occupation a code 0–20.</li>
 * </ul>
 */
final class MovieLensDatLoader {
    /** The occupation codes of the 1M README, in code order. */
    static final List<String> OCCUPATIONS = List.of("other or not specified", "academic/educator", "artist",
            "clerical/admin", "college/grad student", "customer service", "doctor/health care",
            "executive/managerial", "farmer", "homemaker", "K-12 student", "lawyer", "programmer", "retired",
            "sales/marketing", "scientist", "self-employed", "technician/engineer", "tradesman/craftsman",
            "unemployed", "writer");
    private static final List<Integer> AGE_CODES = List.of(1, 18, 25, 35, 45, 50, 56);

    private MovieLensDatLoader() {
    }

    static Dataset read(DataLoader.Context ctx, boolean withUsers) {
        DataFormat format = withUsers ? DataFormat.MOVIELENS_1M : DataFormat.MOVIELENS_10M;
        RatingScale scale = DataLoader.publishedScale(format);
        Movies movies = new Movies();
        Path moviesFile = ctx.dir.resolve("movies.dat");
        Path ratingsFile = ctx.dir.resolve("ratings.dat");
        Path usersFile = ctx.dir.resolve("users.dat");
        Map<Integer, UserProfile> users = withUsers ? readUsers(ctx, usersFile) : new HashMap<>();
        ctx.read(moviesFile, StandardCharsets.ISO_8859_1, (line, text) -> {
            String[] f = TextFiles.split(moviesFile, line, text, "::", 3);
            movies.add(moviesFile, line, TextFiles.parseId(moviesFile, line, f[0], "movie id"), f[1], f[2]);
        });
        TextFiles.requireNonEmpty(moviesFile, movies.size());
        RatingTable.Builder ratings = new RatingTable.Builder(1 << 20);
        IntIndex seenUsers = new IntIndex(1 << 12);
        ctx.readRatings(ratingsFile, StandardCharsets.ISO_8859_1, (line, text) -> {
            String[] f = TextFiles.split(ratingsFile, line, text, "::", 4);
            int user = TextFiles.parseId(ratingsFile, line, f[0], "user id");
            int item = TextFiles.parseId(ratingsFile, line, f[1], "movie id");
            float rating = TextFiles.parseRating(ratingsFile, line, f[2], scale);
            long ts = TextFiles.parseLong(ratingsFile, line, f[3], "timestamp");
            if (withUsers && !users.containsKey(user)) {
                throw new DataFormatException(ratingsFile, line, "user id " + user + " is not in users.dat");
            }
            if (!movies.contains(item)) {
                throw new DataFormatException(ratingsFile, line, "movie id " + item + " is not in movies.dat");
            }
            seenUsers.add(user);
            ratings.add(user, item, rating, ts, line);
        });
        TextFiles.requireNonEmpty(ratingsFile, ratings.size());
        Duplicates.resolve(ratings, ratingsFile, ctx.options.duplicates(), ctx.warnings);
        if (!withUsers) {
            for (int u = 0; u < seenUsers.size(); u++) {
                users.put(seenUsers.key(u), UserProfile.unknown(seenUsers.key(u)));
            }
        }
        return new Dataset(format.label(), ratings.build(), users, movies.profiles(), movies.genres(),
                withUsers ? OCCUPATIONS : List.of(), scale, List.of(), List.of());
    }

    private static Map<Integer, UserProfile> readUsers(DataLoader.Context ctx, Path file) {
        Map<Integer, UserProfile> users = new HashMap<>();
        ctx.read(file, StandardCharsets.ISO_8859_1, (line, text) -> {
            String[] f = TextFiles.split(file, line, text, "::", 5);
            int id = TextFiles.parseId(file, line, f[0], "user id");
            int age = TextFiles.parseInt(file, line, f[2], "age code");
            if (!AGE_CODES.contains(age)) {
                throw new DataFormatException(file, line, "age must be one of the codes " + AGE_CODES + ", found "
                        + age);
            }
            int occupation = TextFiles.parseInt(file, line, f[3], "occupation code");
            if (occupation < 0 || occupation >= OCCUPATIONS.size()) {
                throw new DataFormatException(file, line, "occupation must be a code 0.." + (OCCUPATIONS.size() - 1)
                        + ", found " + occupation);
            }
            Gender gender;
            try {
                gender = Gender.fromCode(f[1]);
            } catch (IllegalArgumentException e) {
                throw new DataFormatException(file, line, e.getMessage(), e);
            }
            if (users.put(id, new UserProfile(id, gender, age, occupation, f[4])) != null) {
                throw new DataFormatException(file, line, "duplicate user id " + id);
            }
        });
        TextFiles.requireNonEmpty(file, users.size());
        return users;
    }
}
