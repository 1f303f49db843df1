package io.metafed.simulation.report;

import io.metafed.evaluation.metrics.MetricAverager;
import io.metafed.evaluation.metrics.Summary;
import io.metafed.evaluation.metrics.UserEvaluator;
import io.metafed.evaluation.task.Partition;
import io.metafed.simulation.eval.EvalPoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-seed differences of final query MAE between two rows of the table. Seeds share the task split and the
 * initialization, so the paired difference is a sharper comparison than two separate means ± std.
 */
public final class PairedComparison {
    private PairedComparison() {
    }

    /** MAE(a) − MAE(b) of each seed that has both rows in {@code partition} at {@code round}. */
    public static List<Double> maeDifferences(List<EvalPoint> points, int round, Partition partition,
                                              String modelA, int stepsA, String modelB, int stepsB) {
        Map<Long, Double> a = new HashMap<>();
        Map<Long, Double> b = new HashMap<>();
        for (EvalPoint p : points) {
            if (p.round() == round && p.partition() == partition) {
                if (p.model().equals(modelA) && p.steps() == stepsA) {
                    a.put(p.seed(), p.metrics().get(UserEvaluator.MAE));
                } else if (p.model().equals(modelB) && p.steps() == stepsB) {
                    b.put(p.seed(), p.metrics().get(UserEvaluator.MAE));
                }
            }
        }
        List<Double> diffs = new ArrayList<>();
        a.forEach((seed, mae) -> {
            if (b.containsKey(seed)) {
                diffs.add(mae - b.get(seed));
            }
        });
        return diffs;
    }

    /** One line of the comparison, or an empty string when a row is missing. */
    public static String describe(List<EvalPoint> points, int round, Partition partition, String modelA, int stepsA,
                                  String modelB, int stepsB) {
        List<Double> diffs = maeDifferences(points, round, partition, modelA, stepsA, modelB, stepsB);
        if (diffs.isEmpty()) {
            return "";
        }
        MetricAverager averager = new MetricAverager();
        diffs.forEach(d -> averager.add("diff", d));
        Summary s = averager.summary("diff");
        long lower = diffs.stream().filter(d -> d < 0).count();
        return String.format(Locale.ROOT, "%-15s MAE(%s) − MAE(%s) = %+.4f ± %.4f (lower in %d of %d seeds)",
                partition, ResultTable.label(modelA, stepsA), ResultTable.label(modelB, stepsB), s.mean(), s.std(),
                lower, diffs.size());
    }
}
