package io.metafed.simulation.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.simulation.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate --engine spark} end to end: found through ServiceLoader, and the same results as in process. */
class SparkSimulateCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out) {
    }

    private static Run run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            var cli = Main.commandLine();
            cli.setErr(new PrintWriter(out, true, StandardCharsets.UTF_8));
            return new Run(cli.execute(args), out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void simulate_sparkEngine_sameResultsAsInProcess() throws Exception {
        String[] common = {"simulate", "--rounds", "2", "--clients", "8", "--seeds", "1", "--algorithms", "FEDRECON",
                "--out"};
        Run local = run(concat(common, dir.resolve("in-process").toString()));
        assertEquals(0, local.exit(), local.out());
        Run spark = run(concat(concat(common, dir.resolve("spark").toString()), "--engine", "spark", "--master",
                "local[2]"));
        assertEquals(0, spark.exit(), spark.out());
        assertTrue(spark.out().contains("Engine: spark"), spark.out());
        String expected = Files.readString(dir.resolve("in-process/results.csv"));
        assertTrue(expected.contains("\"FedRecon\",1,2,USER_COLD,-1,mae,"), expected);
        // θ is the same to the bit (the sums differ at most in double rounding), so every metric is.
        assertEquals(expected, Files.readString(dir.resolve("spark/results.csv")));
    }

    @Test
    void simulate_sparkEngineWithSecureAggregation_refusedBeforeStarting() {
        Run r = run("simulate", "--rounds", "1", "--engine", "spark", "--secure-aggregation", "--out",
                dir.toString());
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().contains("--engine spark sums client updates where the clients run, so it cannot run "
                + "--secure-aggregation"), r.out());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
