package io.metafed.simulation.report;

import com.google.gson.GsonBuilder;
import io.metafed.simulation.eval.EvalPoint;
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
    private ResultFiles() {
    }

    public static void writeCsv(List<EvalPoint> points, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("model,seed,round,partition,steps,metric,value\n");
            for (EvalPoint p : points) {
                for (String metric : ResultTable.METRICS) {
                    w.write(String.format(Locale.ROOT, "\"%s\",%d,%d,%s,%d,%s,%.6f%n", p.model(), p.seed(),
                            p.round(), p.partition(), p.steps(), metric, p.metrics().get(metric)));
                }
            }
        }
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
