package io.metafed.simulation.cli;

import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.data.ItemProfile;
import io.metafed.model.data.UserProfile;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;

/**
 * Writes a synthetic dataset in GroupLens's published layouts (and the generic one), big enough for cold-start
 * tasks, so {@code --data} can be exercised end to end without real MovieLens data in the repository.
 */
final class PublishedLayouts {
    static final Dataset DATA = SyntheticDataGenerator.generate(SyntheticConfig.small(11));
    private static final List<Integer> AGE_CODES = List.of(1, 18, 25, 35, 45, 50, 56);

    private PublishedLayouts() {
    }

    /** MovieLens 1M: users.dat, movies.dat, ratings.dat, "::"-separated, ISO-8859-1, whole stars. */
    static Path movieLens1m(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Writer w = writer(dir.resolve("users.dat"), StandardCharsets.ISO_8859_1)) {
            for (UserProfile u : new TreeMap<>(DATA.users()).values()) {
                w.write(u.id() + "::" + (u.gender().ordinal() == 0 ? "M" : "F") + "::" + ageCode(u.age()) + "::"
                        + u.occupation() + "::" + u.zip() + "\n");
            }
        }
        try (Writer w = writer(dir.resolve("movies.dat"), StandardCharsets.ISO_8859_1)) {
            for (ItemProfile it : new TreeMap<>(DATA.items()).values()) {
                w.write(it.id() + "::" + title(it) + "::" + genres(it) + "\n");
            }
        }
        try (Writer w = writer(dir.resolve("ratings.dat"), StandardCharsets.ISO_8859_1)) {
            for (Interaction in : DATA.interactions()) {
                w.write(in.user() + "::" + in.item() + "::" + (int) in.rating() + "::" + in.timestamp() + "\n");
            }
        }
        return dir;
    }

    /** ml-latest-small: ratings.csv and movies.csv, UTF-8, quoted titles, half stars. */
    static Path movieLensLatestSmall(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Writer w = writer(dir.resolve("movies.csv"), StandardCharsets.UTF_8)) {
            w.write("movieId,title,genres\n");
            for (ItemProfile it : new TreeMap<>(DATA.items()).values()) {
                String title = title(it).replace("\"", "\"\"");
                w.write(it.id() + ",\"" + title + "\"," + (it.genreCount() == 0 ? "(no genres listed)" : genres(it))
                        + "\n");
            }
        }
        try (Writer w = writer(dir.resolve("ratings.csv"), StandardCharsets.UTF_8)) {
            w.write("userId,movieId,rating,timestamp\n");
            for (Interaction in : DATA.interactions()) {
                w.write(in.user() + "," + in.item() + "," + halfStar(in) + "," + in.timestamp() + "\n");
            }
        }
        return dir;
    }

    /** Generic: interactions.csv on a 1–10 scale, items.csv (year, genres multi-hot), users.csv (categoricals). */
    static Path generic(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Writer w = writer(dir.resolve("interactions.csv"), StandardCharsets.UTF_8)) {
            w.write("item,user,score,time\n");
            for (Interaction in : DATA.interactions()) {
                w.write(in.item() + "," + in.user() + "," + (int) (in.rating() * 2 - (in.item() % 2)) + ","
                        + in.timestamp() + "\n");
            }
        }
        try (Writer w = writer(dir.resolve("items.csv"), StandardCharsets.UTF_8)) {
            w.write("id,title,year,kind\n");
            for (ItemProfile it : new TreeMap<>(DATA.items()).values()) {
                w.write(it.id() + ",\"" + title(it) + "\","
                        + (it.releaseYear() == ItemProfile.UNKNOWN_YEAR ? "" : it.releaseYear()) + "," + genres(it)
                        + "\n");
            }
        }
        try (Writer w = writer(dir.resolve("users.csv"), StandardCharsets.UTF_8)) {
            w.write("user,gender,job\n");
            for (UserProfile u : new TreeMap<>(DATA.users()).values()) {
                w.write(u.id() + "," + u.gender() + "," + SyntheticDataGenerator.OCCUPATIONS.get(u.occupation()) + "\n");
            }
        }
        return dir;
    }

    /** Some ratings lowered by half a star (1 becomes 0.5), so every half-star value occurs. */
    static String halfStar(Interaction in) {
        float r = (in.user() + in.item()) % 2 == 0 ? in.rating() - 0.5f : in.rating();
        return String.valueOf(r);
    }

    private static int ageCode(int age) {
        int[] bounds = {18, 25, 35, 45, 50, 56};
        for (int b = 0; b < bounds.length; b++) {
            if (age < bounds[b]) {
                return AGE_CODES.get(b);
            }
        }
        return 56;
    }

    private static String title(ItemProfile it) {
        String name = it.id() % 7 == 0 ? "Café, Le " + it.id() : it.title();
        return name + (it.releaseYear() == ItemProfile.UNKNOWN_YEAR ? "" : " (" + it.releaseYear() + ")");
    }

    private static String genres(ItemProfile it) {
        StringBuilder sb = new StringBuilder();
        for (int g = 0; g < DATA.genres().size(); g++) {
            if (it.hasGenre(g)) {
                sb.append(sb.length() == 0 ? "" : "|").append(DATA.genres().get(g));
            }
        }
        return sb.toString();
    }

    private static Writer writer(Path file, Charset charset) throws IOException {
        return Files.newBufferedWriter(file, charset);
    }
}
