package io.metafed.simulation.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TimingTest {
    @Test
    void of_oddSamples_medianIsMiddleAndSpreadIsInterquartileRangeOverMedian() {
        Timing t = Timing.of(new double[] {50, 10, 20, 40, 30});
        assertEquals(30, t.medianNanos());
        assertEquals(20, t.lowerQuartileNanos());
        assertEquals(40, t.upperQuartileNanos());
        assertEquals(100 * 20.0 / 30, t.spreadPercent(), 1e-9);
        assertEquals(1e9 / 30, t.perSecond(), 1e-6);
    }

    @Test
    void of_evenSamples_quantilesInterpolateBetweenRanks() {
        Timing t = Timing.of(new double[] {40, 10, 20, 30});
        assertEquals(25, t.medianNanos());
        assertEquals(17.5, t.lowerQuartileNanos());
        assertEquals(10, t.minNanos());
        assertEquals(40, t.maxNanos());
    }

    @Test
    void measure_countsEveryWarmupAndSampleOperation() {
        int[] calls = {0};
        Timing t = Timing.measure(2, 3, 4, () -> calls[0]++);
        assertEquals((2 + 3) * 4, calls[0]);
        assertEquals(3, t.samples());
        assertTrue(t.medianNanos() > 0);
    }

    @Test
    void of_noSamples_refused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Timing.of(new double[0]));
        assertTrue(e.getMessage().contains("perOpNanos"), e.getMessage());
    }

    @Test
    void benchRow_nonPositiveValue_refusedNamingTheMetric() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchRow.figure("Client", "heap", 0, "KiB", "test"));
        assertTrue(e.getMessage().contains("heap"), e.getMessage());
    }
}
