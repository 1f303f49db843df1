package io.metafed.security.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LogMathTest {

    /** Reference erfc values (Python math.erfc; mpmath for log erfc(30)). */
    @Test
    void logErfc_hasRelativeErrorBelowTheFitsBound() {
        double[][] cases = {{0, 1}, {0.5, 0.4795001221869535}, {1, 0.15729920705028513},
            {3, 2.209049699858544e-05}, {10, 2.088487583762545e-45}, {-1, 1.8427007929497148}};
        for (double[] c : cases) {
            assertEquals(Math.log(c[1]), LogMath.logErfc(c[0]), 1.3e-7, "x=" + c[0]);
        }
        // erfc(30) ≈ 2.56e-393 underflows a double; its logarithm must not.
        assertEquals(-903.974117110644, LogMath.logErfc(30), 1e-6);
    }

    @Test
    void logAddAndSub_areInverse() {
        double a = Math.log(5);
        double b = Math.log(3);
        assertEquals(Math.log(8), LogMath.logAdd(a, b), 1e-15);
        assertEquals(Math.log(2), LogMath.logSub(a, b), 1e-15);
        assertEquals(a, LogMath.logAdd(a, Double.NEGATIVE_INFINITY), 0);
        assertEquals(Double.NEGATIVE_INFINITY, LogMath.logSub(a, a), 0);
        assertThrows(ArithmeticException.class, () -> LogMath.logSub(b, a));
    }
}
