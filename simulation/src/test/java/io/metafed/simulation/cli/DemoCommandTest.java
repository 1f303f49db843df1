package io.metafed.simulation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void demo_syntheticOneEpoch_printsTableForEveryColdStartPartition() {
        CliRun run = CliRun.of("demo", "--epochs", "1", "--seed", "3");
        String out = run.out();
        assertEquals(0, run.exit(), out + run.err());
        for (String row : new String[] {"USER_COLD  ", "ITEM_COLD  ", "USER_ITEM_COLD"}) {
            assertTrue(out.contains(row), "missing partition " + row + " in\n" + out);
        }
        assertTrue(out.contains("bias μ+b_u+b_i"), out);
        assertTrue(out.contains("central, 5 steps"), out);
    }

    @Test
    void demo_missingMovieLensDirectory_failsWithMessage() {
        CliRun run = CliRun.of("demo", "--movielens", "/nonexistent/ml-100k");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("metafed: data directory does not exist: /nonexistent/ml-100k"), run.err());
    }
}
