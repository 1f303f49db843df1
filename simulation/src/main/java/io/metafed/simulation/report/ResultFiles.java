package io.metafed.simulation.report;

import com.google.gson.GsonBuilder;
import io.metafed.simulation.eval.EvalPoint;
import io.metafed.simulation.federation.PipelineStats;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes evaluation points as CSV (one row per point and metric) and as JSON with the run's settings. */
public final class ResultFiles {
    /**
     * The CSV's columns after the point's: what the run's rounds did ({@link PipelineStats}, the run's totals over
     * all its rounds, as in results.json's {@code rounds}), the same on every row of one seed and model.
     */
    static final String PIPELINE_COLUMNS = "rounds,failed_rounds,selected,in_time,stragglers,surplus,adapted,used,"
            + "dropped,virtual_seconds,mean_round_seconds,longest_round_seconds";
    /** The pipeline cells of a model without federated rounds (baselines, local-only, central training). */
    private static final String NO_PIPELINE = ",".repeat(PIPELINE_COLUMNS.split(",").length - 1);

    private ResultFiles() {
    }

    /**
     * One row per point and metric, each followed by its run's pipeline counts ({@code pipeline}: per seed, per
     * model); empty cells for a model with none.
     */
    public static void writeCsv(List<EvalPoint> points, Map<Long, Map<String, PipelineStats>> pipeline, Path file)
            throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("model,seed,round,partition,steps,metric,value," + PIPELINE_COLUMNS + "\n");
            for (EvalPoint p : points) {
                String rounds = cells(pipeline.getOrDefault(p.seed(), Map.of()).get(p.model()));
                for (String metric : ResultTable.METRICS) {
                    w.write(String.format(Locale.ROOT, "\"%s\",%d,%d,%s,%d,%s,%.6f,%s%n", p.model(), p.seed(),
                            p.round(), p.partition(), p.steps(), metric, p.metrics().get(metric), rounds));
                }
            }
        }
    }

    private static String cells(PipelineStats s) {
        if (s == null) {
            return NO_PIPELINE;
        }
        return String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%d,%d,%d,%d,%.6f,%.6f,%.6f", s.rounds(), s.failedRounds(),
                s.selected(), s.inTime(), s.stragglers(), s.surplus(), s.adapted(), s.used(), s.dropped(),
                s.virtualSeconds(), s.meanRoundSeconds(), s.longestRoundSeconds());
    }

    public static void writeJson(List<EvalPoint> points, Map<String, Object> settings, Path file) throws IOException {
        writeJson(points, settings, Map.of(), file);
    }

    /**
     * As {@link #writeJson(List, Map, Path)}, with what the runs' rounds did beside their settings (e.g. per seed and
     * model, how many selected devices were used or discarded as stragglers); omitted when empty.
     */
    public static void writeJson(List<EvalPoint> points, Map<String, Object> settings, Map<String, ?> rounds, Path file)
            throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("settings", settings);
        if (!rounds.isEmpty()) {
            root.put("rounds", rounds);
        }
        root.put("points", points);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues()
                    .create().toJson(root, w);
        }
    }
}
