package io.metafed.simulation.report;

import io.metafed.evaluation.metrics.UserEvaluator;
import io.metafed.evaluation.task.Partition;
import io.metafed.simulation.eval.EvalPoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/**
 * PNG learning curves: query MAE (mean over seeds) after adaptation vs round, one series per model; baselines
 * and local-only, which do not train over rounds, are flat lines.
 */
public final class LearningCurveChart {
    private LearningCurveChart() {
    }

    public static void write(List<EvalPoint> points, Partition partition, int steps, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Query MAE after " + steps + " adaptation steps — " + partition.description())
                .xAxisTitle("round").yAxisTitle("MAE").build();
        chart.getStyler().setMarkerSize(5);
        Map<String, TreeMap<Integer, double[]>> series = new TreeMap<>();
        for (EvalPoint p : points) {
            if (p.partition() == partition && (p.steps() == steps || ResultTable.isBaseline(p.model()))) {
                double[] sumCount = series.computeIfAbsent(p.model(), k -> new TreeMap<>())
                        .computeIfAbsent(p.round(), k -> new double[2]);
                sumCount[0] += p.metrics().get(UserEvaluator.MAE);
                sumCount[1]++;
            }
        }
        for (Map.Entry<String, TreeMap<Integer, double[]>> s : series.entrySet()) {
            List<Integer> x = new ArrayList<>(s.getValue().keySet());
            List<Double> y = new ArrayList<>();
            for (double[] v : s.getValue().values()) {
                y.add(v[0] / v[1]);
            }
            if (x.size() == 1) { // baselines and local-only have one point: draw them as flat lines
                x = List.of(0, x.get(0));
                y = List.of(y.get(0), y.get(0));
            }
            XYSeries added = chart.addSeries(s.getKey(), x, y);
            added.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
