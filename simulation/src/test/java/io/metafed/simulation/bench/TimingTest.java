package io.metafed.simulation.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TimingTest {
    @Test
    void of_oddSamples_medianIsMiddleAndSpreadIsRangeOverMedian() {
        Timing t = Timing.of(new double[] {30, 10, 20});
        assertEquals(20, t.medianNanos());
        assertEquals(100.0, t.spreadPercent());
        assertEquals(5e7, t.perSecond());
    }

    @Test
    void of_evenSamples_medianIsMeanOfMiddleTwo() {
        assertEquals(25, Timing.of(new double[] {40, 10, 20, 30}).medianNanos());
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
