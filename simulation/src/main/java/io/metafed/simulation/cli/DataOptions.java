package io.metafed.simulation.cli;

import io.metafed.evaluation.data.DataFileInfo;
import io.metafed.evaluation.data.DataFormat;
import io.metafed.evaluation.data.DataLoader;
import io.metafed.evaluation.data.DuplicatePolicy;
import io.metafed.evaluation.data.LoadOptions;
import io.metafed.evaluation.data.LoadedData;
import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.evaluation.task.ColdStartSplit;
import io.metafed.evaluation.task.Partition;
import io.metafed.evaluation.task.SplitConfig;
import io.metafed.evaluation.task.SplitFile;
import io.metafed.evaluation.task.SplitMode;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.RatingScale;
import io.metafed.model.features.FeatureSchema;
import io.metafed.model.features.FieldSpec;
import io.metafed.model.features.YearBuckets;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/** Which data to run on and how to split it into cold-start tasks; shared by the commands. */
public final class DataOptions {
    @Option(names = {"-d", "--data", "-m", "--movielens"}, paramLabel = "DIR",
            description = "Data directory in a published layout, detected from its files: MovieLens 100K (u.data), "
                    + "1M/10M (ratings.dat), 20M/25M/32M/latest (ratings.csv + movies.csv) or generic "
                    + "(interactions.csv|tsv [+ items, users]). --movielens is an alias. Default: the embedded "
                    + "synthetic data.")
    Path dir;

    @Option(names = "--format", paramLabel = "LAYOUT", defaultValue = "auto",
            description = "Layout of --data: auto, movielens-100k, movielens-1m, movielens-10m, movielens-csv or "
                    + "generic (default: ${DEFAULT-VALUE}, detect by the files present).")
    String format;

    @Option(names = "--duplicates", paramLabel = "POLICY", defaultValue = "keep-last",
            description = "Repeated (user, item) ratings: keep-last (warn and keep the last of each) or refuse "
                    + "(stop at the first, naming file and line) (default: ${DEFAULT-VALUE}).")
    String duplicates;

    @Option(names = "--rating-scale", paramLabel = "MIN:MAX[:STEP]",
            description = "Rating scale of a generic dataset, e.g. 1:10 or 0.5:5:0.5 (default: inferred from the "
                    + "ratings; MovieLens layouts have their published scale).")
    String ratingScale;

    @Option(names = {"-s", "--seed"}, defaultValue = "1", description = "Seed of data generation, task split and "
            + "initialization (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--new-item-year", defaultValue = "1997",
            description = "Items released in this year or later are new items (default: ${DEFAULT-VALUE}).")
    int newItemYear;

    @Option(names = "--split", paramLabel = "random|time", defaultValue = "random",
            description = "New users: a seeded random 20%% (random) or the 20%% who joined last (time; items without "
                    + "years are then new when first rated last) (default: ${DEFAULT-VALUE}).")
    String splitMode;

    @Option(names = "--split-file", paramLabel = "FILE",
            description = "A published split: lines user,item,partition (TRAIN, USER_COLD, ITEM_COLD, USER_ITEM_COLD);"
                    + " replaces --split and --new-item-year; query/support draws stay seeded.")
    Path splitFile;

    private SplitFile readSplitFile;

    /** The data: loaded from {@code --data}, or generated. */
    LoadedData loadWithProvenance() {
        if (dir == null) {
            Dataset synthetic = SyntheticDataGenerator.generate(SyntheticConfig.defaults(seed));
            return new LoadedData(synthetic, null, Path.of("(embedded)"), List.of(
                    new DataFileInfo("(generated in memory)", 0, null)), List.of(), false);
        }
        DataFormat f = format.equals("auto") ? null : DataFormat.parse(format);
        RatingScale scale = ratingScale == null ? null : RatingScale.parse(ratingScale);
        return DataLoader.load(dir, new LoadOptions(f, DuplicatePolicy.parse(duplicates), scale));
    }

    Dataset load() {
        LoadedData loaded = loadWithProvenance();
        loaded.warnings().forEach(w -> System.err.println("metafed: warning: " + w));
        return loaded.dataset();
    }

    /** Checks option combinations before any work. */
    void validate() {
        DuplicatePolicy.parse(duplicates);
        SplitMode.parse(splitMode);
        if (!format.equals("auto")) {
            DataFormat.parse(format);
        }
        if (ratingScale != null) {
            RatingScale.parse(ratingScale);
        }
        if (dir == null && (!format.equals("auto") || ratingScale != null)) {
            throw new IllegalArgumentException("--format and --rating-scale need --data DIR");
        }
    }

    SplitConfig split() {
        return split(seed);
    }

    SplitConfig split(long runSeed) {
        SplitConfig melu = SplitConfig.melu(runSeed);
        return new SplitConfig(runSeed, newItemYear, melu.newUserFraction(), melu.minRatings(), melu.maxRatings(),
                melu.querySize(), SplitMode.parse(splitMode));
    }

    /** The cold-start split of {@code data} for {@code runSeed}: from the split file when given. */
    ColdStartSplit coldStart(Dataset data, long runSeed) {
        if (splitFile == null) {
            return ColdStartSplit.of(data, split(runSeed));
        }
        if (readSplitFile == null) {
            readSplitFile = SplitFile.read(splitFile, data);
        }
        return ColdStartSplit.of(data, readSplitFile, split(runSeed));
    }

    /** Prints what the data is: kind, path, files, counts, scale, features, warnings. */
    static void describe(LoadedData loaded, PrintStream out) {
        Dataset d = loaded.dataset();
        out.printf("Data: %s (%s) at %s%n", d.source(), loaded.kind(), loaded.path());
        for (DataFileInfo f : loaded.files()) {
            out.printf("  %-22s %,14d bytes%s%n", f.name(), f.bytes(), f.sha256() == null ? "" : "  SHA-256 " + f.sha256());
        }
        out.printf(Locale.ROOT, "  %,d users, %,d items, %,d ratings, rating scale %s%s%n", d.users().size(),
                d.items().size(), d.interactions().size(), d.scale().describe(),
                loaded.scaleInferred() ? " (inferred from the ratings; --rating-scale declares it)" : "");
        out.println("  features: " + features(d));
        for (String w : loaded.warnings()) {
            out.println("  warning: " + w);
        }
    }

    private static String features(Dataset d) {
        FeatureSchema schema = FeatureSchema.of(d);
        List<String> parts = new ArrayList<>();
        for (FieldSpec f : schema.fields()) {
            parts.add(f.bucketEdges().isEmpty() ? f.name() + "(" + f.size() + (f.multiHot() ? ", multi-hot" : "") + ")"
                    : f.name() + YearBuckets.labels(f.bucketEdges()));
        }
        return String.join(", ", parts);
    }

    /** What results.json records about the data. */
    static Map<String, Object> provenance(LoadedData loaded) {
        Dataset d = loaded.dataset();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", loaded.kind());
        m.put("source", d.source());
        m.put("path", loaded.path().toString());
        List<Map<String, Object>> files = new ArrayList<>();
        for (DataFileInfo f : loaded.files()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("name", f.name());
            fm.put("bytes", f.bytes());
            if (f.sha256() != null) {
                fm.put("sha256", f.sha256());
            }
            files.add(fm);
        }
        m.put("files", files);
        m.put("users", d.users().size());
        m.put("items", d.items().size());
        m.put("ratings", d.interactions().size());
        Map<String, Object> scale = new LinkedHashMap<>(); // not Map.of: one key order in every run's results.json
        scale.put("min", d.scale().min());
        scale.put("max", d.scale().max());
        scale.put("step", d.scale().step());
        scale.put("inferred", loaded.scaleInferred());
        m.put("ratingScale", scale);
        m.put("features", FeatureSchema.of(d).describe());
        m.put("warnings", loaded.warnings());
        return m;
    }

    /** What results.json records about the split settings. */
    Map<String, Object> splitSettings() {
        Map<String, Object> m = new LinkedHashMap<>();
        SplitConfig c = split(seed);
        if (splitFile != null) {
            m.put("splitFile", splitFile.toAbsolutePath().normalize().toString());
        } else {
            m.put("mode", splitMode);
            m.put("newItemYear", newItemYear);
            m.put("newUserFraction", c.newUserFraction());
        }
        m.put("minRatings", c.minRatings());
        m.put("maxRatings", c.maxRatings());
        m.put("querySize", c.querySize());
        return m;
    }

    /** Tasks per partition of one split, for stdout and results.json. */
    static Map<String, Integer> taskCounts(ColdStartSplit split) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Partition p : Partition.values()) {
            m.put(p.name(), split.tasks(p).size());
        }
        return m;
    }

    /** One line: the split's tasks per partition and, from a file, how many ratings it leaves out. */
    String describeSplit(ColdStartSplit split, long runSeed) {
        StringBuilder sb = new StringBuilder("Split (seed " + runSeed + ", ");
        if (splitFile != null) {
            sb.append("from ").append(splitFile).append(", ").append(readSplitFile.size()).append(" ratings listed, ")
                    .append(readSplitFile.unlisted()).append(" of the dataset not");
        } else {
            sb.append(splitMode).append(" users, new items from ").append(newItemYear);
        }
        sb.append("): ");
        List<String> parts = new ArrayList<>();
        taskCounts(split).forEach((p, n) -> parts.add(p + " " + n));
        return sb.append(String.join(", ", parts)).append(" tasks").toString();
    }
}
