package io.metafed.simulation.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metafed.evaluation.task.Partition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvalPointTest {

    @Test
    void metrics_keepTheProducersOrder_soResultsJsonListsThemAlikeInEveryRun() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<String> names = List.of("mae", "rmse", "ndcg@5", "precision@5", "recall@5", "ndcg@10", "map@10", "auc");
        for (int i = 0; i < names.size(); i++) {
            metrics.put(names.get(i), i / 10.0);
        }
        EvalPoint p = new EvalPoint("m", 1, 2, Partition.USER_COLD, 0, metrics);
        assertEquals(names, new ArrayList<>(p.metrics().keySet()));
        metrics.put("late", 1.0);
        assertEquals(names.size(), p.metrics().size(), "a copy, not a view");
        assertThrows(UnsupportedOperationException.class, () -> p.metrics().put("x", 1.0));
    }

    @Test
    void aMissingMetricValue_isNamed() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("mae", null);
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> new EvalPoint("m", 1, 2, Partition.USER_COLD, 0, metrics));
        assertEquals("metric mae", e.getMessage());
    }
}
