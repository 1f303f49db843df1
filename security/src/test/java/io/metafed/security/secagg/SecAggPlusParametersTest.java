package io.metafed.security.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecAggPlusParametersTest {

    @Test
    void upperTail_matchesScipyReferenceValues() {
        // scipy.stats.hypergeom(M=499, n=150, N=142).sf(70) and hypergeom(499, 100, 142).sf(71), SciPy 1.17.1.
        double[] lf = SecAggPlusParameters.logFactorials(499);
        assertEquals(1.9040182780691433e-09, SecAggPlusParameters.upperTail(lf, 499, 150, 142, 71), 1e-9 * 1.9e-09);
        assertEquals(8.076380301585781e-25, SecAggPlusParameters.upperTail(lf, 499, 100, 142, 72), 1e-8 * 8.1e-25);
        // The whole distribution: log-factorials near 2,600 carry ~1e−13 absolute error, so the sum is good to ~1e−12.
        assertEquals(1.0, SecAggPlusParameters.upperTail(lf, 499, 100, 142, 0), 1e-9);
    }

    @Test
    void choose_n500_givesK142T72WithinTheBounds() {
        // The same search in SciPy (docs/SECURE-AGGREGATION.md) gives k = 142, t = 72 at δ = 0.3, γ = 0.2.
        SecAggPlusParameters.Choice c = SecAggPlusParameters.choose(500);
        assertEquals(142, c.neighbours());
        assertEquals(72, c.threshold());
        assertTrue(c.securityFailure() <= 0x1p-40, c.toString());
        assertTrue(c.disconnection() <= 0x1p-40, c.toString());
        assertTrue(c.correctnessFailure() <= 0x1p-20, c.toString());
        assertTrue(2 * c.threshold() > c.neighbours() + 1, c.toString());
        SecAggConfig config = c.config(100, 3, 4);
        assertEquals(142, config.neighbours());
        assertTrue(!config.complete());
    }

    @Test
    void choose_smallN_fallsBackToCompleteGraphWithMajorityThreshold() {
        SecAggPlusParameters.Choice c = SecAggPlusParameters.choose(50);
        assertTrue(c.complete(), c.toString());
        assertEquals(49, c.neighbours());
        assertEquals(26, c.threshold());
    }

    @Test
    void choose_kGrowsSlowlyWithN() {
        int k1000 = SecAggPlusParameters.choose(1000).neighbours();
        int k5000 = SecAggPlusParameters.choose(5000).neighbours();
        assertEquals(174, k1000); // SciPy: 174 and 220
        assertEquals(220, k5000);
    }

    @Test
    void choose_invalidFractions_rejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SecAggPlusParameters.choose(100, 0.6, 0.4, 40, 20));
        assertTrue(e.getMessage().startsWith("dropout, corruption:"), e.getMessage());
    }
}
