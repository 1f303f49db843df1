package io.metafed.simulation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.evaluation.metrics.UserEvaluator;
import io.metafed.evaluation.task.Partition;
import io.metafed.simulation.eval.EvalPoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultReportTest {
    private static EvalPoint point(String model, long seed, int steps, double mae) {
        return new EvalPoint(model, seed, 10, Partition.USER_COLD, steps, Map.of(UserEvaluator.MAE, mae,
                UserEvaluator.RMSE, mae + 0.2, UserEvaluator.ndcgLin(1), 0.8, UserEvaluator.ndcgLin(3), 0.85,
                UserEvaluator.ndcgExp(3), 0.7));
    }

    private final List<EvalPoint> points = List.of(
            point("FedReptile", 1, 5, 0.70), point("FedReptile", 2, 5, 0.80),
            point("FedAvg", 1, 5, 0.75), point("FedAvg", 2, 5, 0.78), point("FedAvg", 3, 5, 0.9));

    @Test
    void maeDifferences_pairsOnlySeedsWithBothRows() {
        List<Double> diffs = PairedComparison.maeDifferences(points, 10, Partition.USER_COLD, "FedReptile", 5,
                "FedAvg", 5);
        assertEquals(2, diffs.size());
        assertEquals(-0.05 + 0.02, diffs.stream().mapToDouble(Double::doubleValue).sum(), 1e-12);
    }

    @Test
    void describe_twoSeeds_reportsMeanStdAndWins() {
        // differences −0.05 and +0.02: mean −0.015, sample std √((0.035² + 0.035²)/1) = 0.0495
        String line = PairedComparison.describe(points, 10, Partition.USER_COLD, "FedReptile", 5, "FedAvg", 5);
        assertTrue(line.contains("= -0.0150 ± 0.0495 (lower in 1 of 2 seeds)"), line);
        assertTrue(line.contains("MAE(FedAvg + fine-tune, 5 steps)"), line);
    }

    @Test
    void render_meansOverSeedsWithStd() {
        String table = ResultTable.render(points, 10);
        // FedReptile MAE 0.70 and 0.80: mean 0.75, std 0.0707
        assertTrue(table.contains("0.7500 ± 0.0707"), table);
        assertTrue(table.contains("FedAvg + fine-tune, 5 steps"), table);
    }

    @Test
    void label_baselinesAndSteps() {
        assertEquals("FedAvg, no adaptation", ResultTable.label("FedAvg", 0));
        assertEquals("FedReptile, 1 step", ResultTable.label("FedReptile", 1));
        assertEquals("Bias μ+b_u+b_i", ResultTable.label("Bias μ+b_u+b_i", 0));
    }
}
