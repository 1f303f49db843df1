package io.metafed.evaluation.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The published dataset layouts the loaders read, and their detection by the files a directory holds. */
public enum DataFormat {
    /** {@code u.data}, {@code u.user}, {@code u.item}, {@code u.genre}, {@code u.occupation}. */
    MOVIELENS_100K("movielens-100k", "u.data"),
    /** {@code ratings.dat}, {@code users.dat}, {@code movies.dat}, "::"-separated, ISO-8859-1, whole stars. */
    MOVIELENS_1M("movielens-1m", "ratings.dat"),
    /** {@code ratings.dat}, {@code movies.dat} (no users file), "::"-separated, half stars. */
    MOVIELENS_10M("movielens-10m", "ratings.dat"),
    /** {@code ratings.csv}, {@code movies.csv}: 20M, 25M, 32M, latest and latest-small; UTF-8, half stars. */
    MOVIELENS_CSV("movielens-csv", "ratings.csv"),
    /** {@code interactions.csv|tsv} with a header, optional {@code items.csv|tsv} and {@code users.csv|tsv}. */
    GENERIC("generic", "interactions.csv");

    private final String label;
    private final String ratingsFile;

    DataFormat(String label, String ratingsFile) {
        this.label = label;
        this.ratingsFile = ratingsFile;
    }

    /** The command-line name, e.g. {@code movielens-1m}. */
    public String label() {
        return label;
    }

    /** The ratings file of this layout in {@code dir} (for generic: the .csv or .tsv present). */
    public Path ratingsFile(Path dir) {
        if (this == GENERIC && !Files.exists(dir.resolve("interactions.csv"))
                && Files.exists(dir.resolve("interactions.tsv"))) {
            return dir.resolve("interactions.tsv");
        }
        return dir.resolve(ratingsFile);
    }

    /** Parses a {@link #label()}. */
    public static DataFormat parse(String text) {
        for (DataFormat f : values()) {
            if (f.label.equals(text)) {
                return f;
            }
        }
        throw new IllegalArgumentException("--format must be auto or one of " + labels() + ", found '" + text + "'");
    }

    public static List<String> labels() {
        return java.util.Collections.unmodifiableList(Stream.of(values()).map(DataFormat::label)
                .collect(java.util.stream.Collectors.toList()));
    }

    /** The layout of {@code dir}, recognized by its files. */
    public static DataFormat detect(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("data directory does not exist: " + dir.toAbsolutePath());
        }
        if (Files.exists(dir.resolve("u.data"))) {
            return MOVIELENS_100K;
        }
        if (Files.exists(dir.resolve("ratings.dat"))) {
            return Files.exists(dir.resolve("users.dat")) ? MOVIELENS_1M : MOVIELENS_10M;
        }
        if (Files.exists(dir.resolve("ratings.csv")) && Files.exists(dir.resolve("movies.csv"))) {
            return MOVIELENS_CSV;
        }
        if (Files.exists(dir.resolve("interactions.csv")) || Files.exists(dir.resolve("interactions.tsv"))) {
            return GENERIC;
        }
        throw new IllegalArgumentException("no known data layout in " + dir.toAbsolutePath() + " (it holds "
                + listing(dir) + "); expected u.data (MovieLens 100K), ratings.dat + movies.dat (MovieLens 1M/10M), "
                + "ratings.csv + movies.csv (MovieLens 20M/25M/32M/latest) or interactions.csv|.tsv (generic)");
    }

    private static String listing(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().limit(12)
                    .collect(java.util.stream.Collectors.toList());
            return names.isEmpty() ? "no files" : String.join(", ", names);
        } catch (IOException e) {
            throw new UncheckedIOException("Unable to list " + dir, e);
        }
    }
}
