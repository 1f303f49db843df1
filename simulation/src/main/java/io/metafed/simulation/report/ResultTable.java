package io.metafed.simulation.report;

import io.metafed.evaluation.metrics.MetricAverager;
import io.metafed.evaluation.metrics.Summary;
import io.metafed.evaluation.metrics.UserEvaluator;
import io.metafed.evaluation.task.Partition;
import io.metafed.simulation.SimulationRunner;
import io.metafed.simulation.eval.EvalPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The comparison table: final-round metrics per partition and model, mean ± std over seeds. */
public final class ResultTable {
    static final List<String> METRICS = List.of(UserEvaluator.MAE, UserEvaluator.RMSE, UserEvaluator.ndcgLin(1),
            UserEvaluator.ndcgLin(3), UserEvaluator.ndcgExp(3));
    private static final List<String> HEADERS = List.of("MAE", "RMSE", "nDCG@1", "nDCG@3", "nDCG@3 (2^r-1)");

    private ResultTable() {
    }

    /** Whether {@code model} is a non-neural baseline (evaluated once, without adaptation). */
    public static boolean isBaseline(String model) {
        return model.equals(SimulationRunner.BIAS) || model.equals(SimulationRunner.GLOBAL_MEAN);
    }

    /** A row label: the model and how it was adapted before scoring. */
    public static String label(String model, int steps) {
        if (isBaseline(model)) {
            return model;
        }
        if (steps == EvalPoint.RECONSTRUCTED) {
            return model.equals("FedAvg") ? "FedAvg + reconstruction" : model + ", reconstructed";
        }
        String s = steps + " step" + (steps == 1 ? "" : "s");
        if (steps == 0) {
            return model + ", no adaptation";
        }
        return model.equals("FedAvg") ? "FedAvg + fine-tune, " + s : model + ", " + s;
    }

    public static String render(List<EvalPoint> points, int finalRound) {
        Map<String, Map<String, MetricAverager>> cells = new LinkedHashMap<>();
        for (Partition p : Partition.evaluation()) {
            for (EvalPoint e : points) {
                if (e.partition() == p && e.round() == finalRound) {
                    cells.computeIfAbsent(p.name(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(label(e.model(), e.steps()), k -> new MetricAverager())
                            .addAll(e.metrics());
                }
            }
        }
        List<String> header = new ArrayList<>(List.of("partition", "model"));
        header.addAll(HEADERS);
        header.add("seeds");
        TextTable table = new TextTable(header);
        for (Map.Entry<String, Map<String, MetricAverager>> partition : cells.entrySet()) {
            for (Map.Entry<String, MetricAverager> row : partition.getValue().entrySet()) {
                List<String> cellsOfRow = new ArrayList<>(List.of(partition.getKey(), row.getKey()));
                long seeds = 0;
                for (String metric : METRICS) {
                    Summary s = row.getValue().summary(metric);
                    seeds = s.count();
                    cellsOfRow.add(String.format(Locale.ROOT, "%.4f ± %.4f", s.mean(), s.std()));
                }
                cellsOfRow.add(Long.toString(seeds));
                table.row(cellsOfRow);
            }
        }
        return table.render();
    }
}
