package io.metafed.simulation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {

    @Test
    void demo_syntheticOneEpoch_printsTableForEveryColdStartPartition() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = Main.commandLine().execute("demo", "--epochs", "1", "--seed", "3");
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, out);
        for (String row : new String[] {"USER_COLD  ", "ITEM_COLD  ", "USER_ITEM_COLD"}) {
            assertTrue(out.contains(row), "missing partition " + row + " in\n" + out);
        }
        assertTrue(out.contains("bias μ+b_u+b_i"), out);
        assertTrue(out.contains("central, 5 steps"), out);
    }

    @Test
    void demo_missingMovieLensDirectory_failsWithMessage() {
        CommandLine cli = Main.commandLine();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        cli.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        int exit = cli.execute("demo", "--movielens", "/nonexistent/ml-100k");
        assertEquals(2, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("MovieLens directory does not exist"),
                err.toString(StandardCharsets.UTF_8));
    }
}
