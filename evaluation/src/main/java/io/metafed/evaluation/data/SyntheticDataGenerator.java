package io.metafed.evaluation.data;

import io.metafed.model.Randoms;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Gender;
import io.metafed.model.data.ItemProfile;
import io.metafed.model.data.RatingTable;
import io.metafed.model.data.UserProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded generator of a MovieLens-shaped dataset, the embedded default. Ratings come from
 * {@code 3.4 + user bias + item quality + taste(user, item genres) + year preference + noise}, rounded and
 * clamped to 1–5. Taste has a part shared by a latent group that the user's features mostly determine (what a
 * cold-start model can learn from features) and a personal part (what only adaptation on the user's own ratings
 * can learn). Users pick items with Zipf-like popularity, so item counts are long-tailed.
 */
public final class SyntheticDataGenerator {
    /** MovieLens genre names, so synthetic and real data share one schema. */
    public static final List<String> GENRES = List.of("unknown", "Action", "Adventure", "Animation", "Children's",
            "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
            "Romance", "Sci-Fi", "Thriller", "War", "Western");
    /** MovieLens-100K occupation names. */
    public static final List<String> OCCUPATIONS = List.of("administrator", "artist", "doctor", "educator",
            "engineer", "entertainment", "executive", "healthcare", "homemaker", "lawyer", "librarian", "marketing",
            "none", "other", "programmer", "retired", "salesman", "scientist", "student", "technician", "writer");
    private static final long START_TIME = 874_724_710L; // Sept 1997, like MovieLens-100K

    private SyntheticDataGenerator() {
    }

    /** Receives generated ratings in order: user by user, each user's in time order. */
    @FunctionalInterface
    public interface RatingSink {
        void accept(int user, int item, float rating, long timestamp);
    }

    public static Dataset generate(SyntheticConfig config) {
        RatingTable.Builder ratings = new RatingTable.Builder(config.users() * (config.minRatings()
                + (config.maxRatings() - config.minRatings()) / 4 + 1));
        Map<Integer, UserProfile> users = new HashMap<>();
        Map<Integer, ItemProfile> items = generate(config, users::put,
                (user, item, rating, time) -> ratings.add(user, item, rating, time, 0));
        return new Dataset(config.describe(), ratings.build(), users, items, GENRES, OCCUPATIONS);
    }

    /**
     * Writes the synthetic dataset in the MovieLens CSV layout (ratings.csv, movies.csv, as ml-25m) into
     * {@code dir}, streaming: memory stays independent of the number of ratings. Returns the number of ratings.
     */
    public static long writeMovieLensCsv(SyntheticConfig config, Path dir) throws IOException {
        Files.createDirectories(dir);
        long[] count = {0};
        Map<Integer, ItemProfile> items;
        try (Writer out = Files.newBufferedWriter(dir.resolve("ratings.csv"), StandardCharsets.UTF_8)) {
            out.write("userId,movieId,rating,timestamp\n");
            StringBuilder line = new StringBuilder(48);
            items = generate(config, (id, user) -> { },
                    (user, item, rating, time) -> {
                        line.setLength(0);
                        line.append(user).append(',').append(item).append(',').append(rating).append(',').append(time)
                                .append('\n');
                        try {
                            out.append(line);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        count[0]++;
                    });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        try (Writer out = Files.newBufferedWriter(dir.resolve("movies.csv"), StandardCharsets.UTF_8)) {
            out.write("movieId,title,genres\n");
            for (int id = 1; id <= config.items(); id++) {
                ItemProfile it = items.get(id);
                StringBuilder genres = new StringBuilder();
                for (int g = 0; g < GENRES.size(); g++) {
                    if (it.hasGenre(g)) {
                        genres.append(genres.length() == 0 ? "" : "|").append(GENRES.get(g));
                    }
                }
                String title = it.title() + (it.releaseYear() == ItemProfile.UNKNOWN_YEAR ? ""
                        : " (" + it.releaseYear() + ")");
                out.write(id + ",\"" + title + "\"," + (genres.length() == 0 ? Movies.NO_GENRES : genres) + "\n");
            }
        }
        return count[0];
    }

    /** Generates users (handed to {@code users}) and their ratings (to {@code sink}); returns the items. */
    private static Map<Integer, ItemProfile> generate(SyntheticConfig config,
                                                      java.util.function.BiConsumer<Integer, UserProfile> users,
                                                      RatingSink sink) {
        SplittableRandom root = new SplittableRandom(config.seed());
        SplittableRandom itemRandom = root.split();
        SplittableRandom userRandom = root.split();
        SplittableRandom ratingRandom = root.split();
        int genres = GENRES.size();
        double[][] groupTaste = new double[config.tasteGroups()][genres];
        for (double[] taste : groupTaste) {
            for (int g = 0; g < genres; g++) {
                taste[g] = Randoms.gaussian(root) * 0.9;
            }
        }
        Map<Integer, ItemProfile> items = new HashMap<>();
        ItemProfile[] byId = new ItemProfile[config.items() + 1]; // the hot loop looks items up without boxing
        double[] quality = new double[config.items() + 1];
        double[] popularity = new double[config.items() + 1];
        for (int id = 1; id <= config.items(); id++) {
            byId[id] = randomItem(id, genres, itemRandom);
            items.put(id, byId[id]);
            quality[id] = Randoms.gaussian(itemRandom) * 0.45;
            // Zipf-like: popularity falls with a random rank; better items are a little more popular.
            popularity[id] = Math.exp(quality[id]) / Math.pow(1 + itemRandom.nextInt(config.items()), 0.9);
        }
        double[] cumulative = cumulative(popularity);
        // One seen-array for all users, cleared after each: large catalogues cost no per-user allocation.
        boolean[] seen = new boolean[config.items() + 1];
        int[] picked = new int[config.maxRatings()];
        for (int id = 1; id <= config.users(); id++) {
            UserProfile user = randomUser(id, userRandom);
            users.accept(id, user);
            int group = userRandom.nextDouble() < config.featureTasteLink()
                    ? featureGroup(user, config.tasteGroups()) : userRandom.nextInt(config.tasteGroups());
            double[] taste = groupTaste[group].clone();
            for (int g = 0; g < genres; g++) {
                taste[g] += Randoms.gaussian(userRandom) * config.personalTaste();
            }
            double userBias = Randoms.gaussian(userRandom) * 0.35;
            double ageCentered = (user.age() - 32) / 15.0;
            int count = longTailedCount(config, userRandom);
            long time = START_TIME + userRandom.nextInt(3_000_000);
            for (int n = 0; n < count; n++) {
                int item = pick(cumulative, seen, ratingRandom);
                seen[item] = true;
                picked[n] = item;
                ItemProfile it = byId[item];
                double yearPref = it.releaseYear() == ItemProfile.UNKNOWN_YEAR ? 0
                        : 0.25 * ageCentered * (1990 - it.releaseYear()) / 20.0;
                double score = 3.4 + userBias + quality[item] + affinity(taste, it) + yearPref
                        + Randoms.gaussian(ratingRandom) * config.noise();
                float rating = (float) Math.max(1, Math.min(5, Math.round(score)));
                time += 1 + ratingRandom.nextInt(20_000);
                sink.accept(id, item, rating, time);
            }
            for (int n = 0; n < count; n++) {
                seen[picked[n]] = false;
            }
        }
        return items;
    }

    private static ItemProfile randomItem(int id, int genres, SplittableRandom random) {
        boolean[] flags = new boolean[genres];
        int count = 1 + random.nextInt(3);
        for (int c = 0; c < count; c++) {
            flags[1 + random.nextInt(genres - 1)] = true;
        }
        // Release years skew recent, like MovieLens: most in the 1990s, a tail back to the 1930s.
        int year = random.nextInt(50) == 0 ? ItemProfile.UNKNOWN_YEAR
                : 1999 - (int) Math.min(65, Math.floor(-Math.log(1 - random.nextDouble()) * 8));
        return new ItemProfile(id, "Synthetic item " + id, year, flags);
    }

    private static UserProfile randomUser(int id, SplittableRandom random) {
        Gender gender = random.nextDouble() < 0.71 ? Gender.MALE : Gender.FEMALE;
        int age = 15 + (int) Math.min(58, Math.abs(Randoms.gaussian(random) * 13 + 17));
        int occupation = random.nextInt(OCCUPATIONS.size());
        String zip = String.format("%05d", random.nextInt(100_000));
        return new UserProfile(id, gender, age, occupation, zip);
    }

    /** The taste group implied by features: what makes side information predictive for new users. */
    static int featureGroup(UserProfile user, int groups) {
        int ageBand = user.age() < 25 ? 0 : user.age() < 40 ? 1 : 2;
        return (user.gender().ordinal() * 3 + ageBand + 7 * (user.occupation() % 3)) % groups;
    }

    private static double affinity(double[] taste, ItemProfile item) {
        double sum = 0;
        int n = 0;
        for (int g = 0; g < taste.length; g++) {
            if (item.hasGenre(g)) {
                sum += taste[g];
                n++;
            }
        }
        return n == 0 ? 0 : 0.8 * sum / n;
    }

    private static int longTailedCount(SyntheticConfig config, SplittableRandom random) {
        double u = random.nextDouble();
        int span = config.maxRatings() - config.minRatings();
        return config.minRatings() + (int) Math.floor(span * u * u * u);
    }

    private static double[] cumulative(double[] weights) {
        double[] c = new double[weights.length];
        for (int i = 1; i < weights.length; i++) {
            c[i] = c[i - 1] + weights[i];
        }
        return c;
    }

    /** Samples an unseen item proportionally to popularity (rejection on already-seen items). */
    private static int pick(double[] cumulative, boolean[] seen, SplittableRandom random) {
        double total = cumulative[cumulative.length - 1];
        while (true) {
            double u = random.nextDouble() * total;
            int lo = 1;
            int hi = cumulative.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            if (!seen[lo]) {
                return lo;
            }
        }
    }
}
