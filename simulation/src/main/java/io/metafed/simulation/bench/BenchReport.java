package io.metafed.simulation.bench;

import com.google.gson.GsonBuilder;
import io.metafed.simulation.report.TextTable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The rows of one {@code ./metafed bench} run, rendered as a table and written as JSON or CSV. */
public final class BenchReport {
    private final Map<String, String> environment;
    private final List<BenchRow> rows = new ArrayList<>();

    public BenchReport(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public void add(BenchRow row) {
        rows.add(row);
    }

    /** Date, processors, Java and OS the figures were measured on. */
    public Map<String, String> environment() {
        return environment;
    }

    public List<BenchRow> rows() {
        return List.copyOf(rows);
    }

    /** One table per section: metric, median (or figure), unit and spread; the methods are in the files. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (String section : rows.stream().map(BenchRow::section).distinct().toList()) {
            TextTable table = new TextTable(List.of(section, "value", "unit", "spread"));
            for (BenchRow r : rows) {
                if (r.section().equals(section)) {
                    table.row(List.of(r.metric(), format(r.value()), r.unit(), Double.isNaN(r.spreadPercent()) ? "-"
                            : String.format(Locale.ROOT, "%.0f%%", r.spreadPercent())));
                }
            }
            sb.append(sb.length() == 0 ? "" : "\n").append(table.render());
        }
        return sb.toString();
    }

    /** JSON when {@code file} ends in .json, else CSV. */
    public void write(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
                Map<String, Object> root = new LinkedHashMap<>();
                root.put("environment", new java.util.TreeMap<>(environment));
                root.put("rows", rows);
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues()
                        .create().toJson(root, w);
            } else {
                w.write("section,metric,value,unit,spread_percent,method\n");
                for (BenchRow r : rows) {
                    w.write(String.format(Locale.ROOT, "%s,\"%s\",%.6g,%s,%.1f,\"%s\"%n", r.section(), r.metric(),
                            r.value(), r.unit(), r.spreadPercent(), r.method()));
                }
            }
        }
    }

    /** Three significant digits, without exponent for the magnitudes the table holds. */
    static String format(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (v >= 0.1) {
            return String.format(Locale.ROOT, "%.3f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
