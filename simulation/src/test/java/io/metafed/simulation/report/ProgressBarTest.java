package io.metafed.simulation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static String run(boolean terminal) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal);
        for (String seed : new String[] {"seed 1", "seed 2"}) {
            bar.prefix(seed);
            for (int r = 1; r <= 300; r++) {
                bar.update("FedReptile", r, 300);
            }
            for (int r = 1; r <= 300; r++) {
                bar.update("FedAvg", r, 300);
            }
        }
        bar.finish();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void redirected_oneLinePerTenPercentPerPhase_noCarriageReturns() {
        String log = run(false);
        assertFalse(log.contains("\r"));
        String[] lines = log.split("\n");
        assertEquals(40, lines.length, log); // 2 seeds × 2 phases × 10 steps of 10%
        assertEquals("seed 1 FedReptile 10% (30/300)", lines[0]);
        assertEquals("seed 1 FedReptile 100% (300/300)", lines[9]);
        assertEquals("seed 2 FedAvg 100% (300/300)", lines[39]);
    }

    @Test
    void terminal_redrawsOneLineWithCarriageReturns() {
        String log = run(true);
        assertTrue(log.startsWith("\rseed 1 FedReptile"), log.substring(0, 40));
        assertEquals(4 * 300, log.chars().filter(c -> c == '\r').count()); // one redraw per round
        assertTrue(log.endsWith("(300/300)\n"));
    }
}
