package io.metafed.simulation.bench;

import io.metafed.evaluation.data.DataLoader;
import io.metafed.evaluation.data.LoadOptions;
import io.metafed.evaluation.data.LoadedData;
import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.model.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Data loading at scale: writes a synthetic dataset of the requested size in the MovieLens-25M layout
 * (ratings.csv + movies.csv, streamed to disk), then loads it with the same loader as {@code --data} and reports
 * load time, throughput, the heap the loaded dataset retains per million ratings and what loading allocates.
 * One sample: at 25M ratings a load takes tens of seconds, long enough for timer noise not to matter.
 */
public final class LoadBench {
    public static final String SECTION = "Data";
    private final int users;
    private final long ratings;
    private final Path dir;

    /**
     * @param users   users of the synthetic dataset
     * @param ratings ratings to aim for (the generator's long-tailed counts hit it within a few percent)
     */
    public LoadBench(int users, long ratings, Path dir) {
        this.users = Checks.positive(users, "users");
        Checks.inRange(ratings / (double) users, 21, 10_000, "ratings per user");
        this.ratings = ratings;
        this.dir = dir;
    }

    /** A generator config with {@code users} users and about {@code ratings} ratings (counts 20..max, cubic tail). */
    static SyntheticConfig config(int users, long ratings) {
        double perUser = ratings / (double) users;
        int min = 20;
        // E[min + floor(span·u³)] ≈ min + span/4 − 1/2 for u uniform in [0, 1).
        int span = (int) Math.round(4 * (perUser - min + 0.5));
        int max = min + span;
        // MovieLens-25M's shape: about 0.38 items per user, and enough items for the heaviest raters.
        int items = Math.max(2 * max, (int) (users * 0.38));
        SyntheticConfig d = SyntheticConfig.defaults(1);
        return new SyntheticConfig(1, users, items, min, max, d.tasteGroups(), d.featureTasteLink(),
                d.personalTaste(), d.noise());
    }

    public void run(BenchReport report) {
        SyntheticConfig config = config(users, ratings);
        Path data = dir.resolve("synthetic-" + users + "-" + ratings);
        try {
            long t0 = System.nanoTime();
            long written = SyntheticDataGenerator.writeMovieLensCsv(config, data);
            double generateSeconds = (System.nanoTime() - t0) / 1e9;
            long fileBytes = Files.size(data.resolve("ratings.csv"));
            long before = HeapProbe.usedAfterGc();
            LoadedData[] holder = new LoadedData[1];
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t1 = System.nanoTime();
            long allocated = HeapProbe.allocatedBy(() -> holder[0] = DataLoader.load(data, LoadOptions.defaults()));
            double loadSeconds = (System.nanoTime() - t1) / 1e9;
            double loadCpuSeconds = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
            LoadedData loaded = holder[0];
            long retained = HeapProbe.usedAfterGc() - before;
            long n = loaded.dataset().interactions().size();
            double millions = n / 1e6;
            String shape = String.format("%,d users, %,d items, %,d ratings (ml-25m layout, %,d MiB ratings.csv)",
                    users, config.items(), n, fileBytes >> 20);
            report.add(BenchRow.figure(SECTION, "generate and write, " + shape, generateSeconds, "s",
                    "SyntheticDataGenerator.writeMovieLensCsv, streamed; " + written + " ratings"));
            report.add(BenchRow.figure(SECTION, "load wall time, " + shape, loadSeconds, "s",
                    "DataLoader.load (as --data): parse, validate, duplicate scan, SHA-256; one sample"));
            report.add(BenchRow.figure(SECTION, "load CPU time (loading thread)", loadCpuSeconds, "s",
                    "ThreadMXBean CPU time of the loading thread: what the load costs on an idle machine, GC aside"));
            report.add(BenchRow.figure(SECTION, "load throughput", millions / loadSeconds, "M ratings/s",
                    "ratings / wall-clock load time"));
            report.add(BenchRow.figure(SECTION, "heap retained per million ratings", retained / millions / (1 << 20),
                    "MiB", "live heap after GC with the dataset held minus before, / millions of ratings "
                            + "(profiles and maps included; the rating columns alone are 20 B a rating)"));
            report.add(BenchRow.figure(SECTION, "allocated while loading, per million ratings",
                    allocated / millions / (1 << 20), "MiB",
                    "bytes the loading thread allocated (mostly short-lived line strings), / millions of ratings"));
            if (loaded.dataset().interactions().isEmpty()) {
                throw new IllegalStateException("loaded no ratings");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Unable to write the synthetic dataset to " + data, e);
        }
    }
}
