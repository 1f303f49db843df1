package io.metafed.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Hand-computed values. The running example has three items:
 * <pre>
 *   item  predicted  actual
 *   0     0.9        3
 *   1     0.5        5
 *   2     0.7        1
 * </pre>
 * Ranked by prediction: item 0 (r=3), item 2 (r=1), item 1 (r=5). Ideal: 5, 3, 1. Discounts 1/log2(j+1):
 * 1, 1/log2(3) = 0.6309298, 1/2.
 */
class RankingMetricsTest {
    private static final double[] PRED = {0.9, 0.5, 0.7};
    private static final double[] ACTUAL = {3, 5, 1};
    private static final double INV_LOG2_3 = 1 / (Math.log(3) / Math.log(2)); // 0.6309297535714575
    private static final double EPS = 1e-12;

    @Test
    void rankByPrediction_distinctScores_sortsDescending() {
        assertArrayEquals(new int[] {0, 2, 1}, RankingMetrics.rankByPrediction(PRED));
    }

    @Test
    void rankByPrediction_ties_keepInputOrder() {
        assertArrayEquals(new int[] {1, 3, 0, 2, 4}, RankingMetrics.rankByPrediction(new double[] {1, 2, 1, 2, -0.0}));
        // 0.0 and -0.0 are the same score: input order decides.
        assertArrayEquals(new int[] {0, 1}, RankingMetrics.rankByPrediction(new double[] {-0.0, 0.0}));
    }

    @Test
    void ndcg_exponentialGainAt3_matchesHandComputation() {
        // gains 2^r − 1: 7, 1, 31.  DCG = 7·1 + 1·0.6309298 + 31·0.5 = 23.1309298
        // ideal gains 31, 7, 1:     IDCG = 31 + 7·0.6309298 + 1·0.5 = 35.9165083
        double dcg = 7 + INV_LOG2_3 + 15.5;
        double idcg = 31 + 7 * INV_LOG2_3 + 0.5;
        assertEquals(dcg, RankingMetrics.dcg(PRED, ACTUAL, 3, Gain.EXPONENTIAL), EPS);
        assertEquals(dcg / idcg, RankingMetrics.ndcg(PRED, ACTUAL, 3, Gain.EXPONENTIAL), EPS);
        assertEquals(0.6440194457786926, RankingMetrics.ndcg(PRED, ACTUAL, 3, Gain.EXPONENTIAL), 1e-12);
    }

    @Test
    void ndcg_linearGainAt3_matchesHandComputation() {
        // DCG = 3 + 1·0.6309298 + 5·0.5 = 6.1309298;  IDCG = 5 + 3·0.6309298 + 1·0.5 = 7.3927893
        assertEquals(0.8293121225775372, RankingMetrics.ndcg(PRED, ACTUAL, 3, Gain.LINEAR), 1e-12);
    }

    @Test
    void ndcg_at1And2_useOnlyTopItems() {
        // @1: 7/31 (exp), 3/5 (linear). @2 exp: (7 + 1·0.6309298) / (31 + 7·0.6309298) = 0.2154625
        assertEquals(7.0 / 31, RankingMetrics.ndcg(PRED, ACTUAL, 1, Gain.EXPONENTIAL), EPS);
        assertEquals(3.0 / 5, RankingMetrics.ndcg(PRED, ACTUAL, 1, Gain.LINEAR), EPS);
        assertEquals((7 + INV_LOG2_3) / (31 + 7 * INV_LOG2_3), RankingMetrics.ndcg(PRED, ACTUAL, 2, Gain.EXPONENTIAL),
                EPS);
    }

    @Test
    void ndcg_kLargerThanList_equalsWholeList() {
        for (Gain g : Gain.values()) {
            assertEquals(RankingMetrics.ndcg(PRED, ACTUAL, 3, g), RankingMetrics.ndcg(PRED, ACTUAL, 50, g), 0.0);
        }
    }

    @Test
    void ndcg_perfectRanking_isOne() {
        for (Gain g : Gain.values()) {
            assertEquals(1.0, RankingMetrics.ndcg(new double[] {3, 5, 1}, ACTUAL, 2, g), 0.0);
        }
    }

    @Test
    void ndcg_allRatingsEqual_isOneForAnyOrdering() {
        for (Gain g : Gain.values()) {
            assertEquals(1.0, RankingMetrics.ndcg(PRED, new double[] {4, 4, 4}, 2, g), 0.0);
        }
    }

    @Test
    void ndcg_allRatingsZero_isZero() {
        assertEquals(0.0, RankingMetrics.ndcg(PRED, new double[] {0, 0, 0}, 3, Gain.EXPONENTIAL), 0.0);
    }

    @Test
    void ndcg_tiedPredictions_rankInInputOrder() {
        // Constant scores rank items 0, 1, 2: linear @1 = 1/5; moving the 5 to the front makes it 5/5.
        double[] constant = {0.5, 0.5, 0.5};
        assertEquals(0.2, RankingMetrics.ndcg(constant, new double[] {1, 5, 3}, 1, Gain.LINEAR), EPS);
        assertEquals(1.0, RankingMetrics.ndcg(constant, new double[] {5, 1, 3}, 1, Gain.LINEAR), EPS);
    }

    @Test
    void hit_relevantItemInTopK_isOne() {
        // Top-1 is item 0 (r=3), top-2 adds item 2 (r=1): no rating >= 4 until item 1 (r=5) at rank 3.
        assertEquals(0.0, RankingMetrics.hit(PRED, ACTUAL, 1));
        assertEquals(0.0, RankingMetrics.hit(PRED, ACTUAL, 2));
        assertEquals(1.0, RankingMetrics.hit(PRED, ACTUAL, 3));
        assertEquals(1.0, RankingMetrics.hit(PRED, ACTUAL, 10));
        assertEquals(1.0, RankingMetrics.hit(PRED, ACTUAL, 1, 3.0)); // threshold is inclusive
    }

    @Test
    void metrics_invalidArguments_rejectWithNamedRule() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> RankingMetrics.ndcg(PRED, new double[] {1, 2}, 3, Gain.LINEAR));
        assertTrue(e.getMessage().contains("equal length, found 3 and 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.ndcg(new double[0], new double[0], 1,
                Gain.LINEAR));
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.hit(PRED, ACTUAL, 0));
        e = assertThrows(IllegalArgumentException.class,
                () -> RankingMetrics.ndcg(new double[] {Double.NaN}, new double[] {3}, 1, Gain.LINEAR));
        assertTrue(e.getMessage().startsWith("predicted[0] must be finite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RankingMetrics.ndcg(new double[] {1}, new double[] {-1}, 1, Gain.LINEAR));
        assertTrue(e.getMessage().startsWith("actual[0] must be a finite rating >= 0"), e.getMessage());
    }
}
