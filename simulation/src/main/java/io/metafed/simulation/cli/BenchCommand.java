package io.metafed.simulation.cli;

import io.metafed.simulation.SimulationConfig;
import io.metafed.simulation.bench.BenchReport;
import io.metafed.simulation.bench.BenchSettings;
import io.metafed.simulation.bench.Benchmarks;
import io.metafed.simulation.bench.IngestBench;
import io.metafed.simulation.bench.LoadBench;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the client SDK, the in-process simulator and the coordinator on this machine and prints one summary
 * table (see docs/PERFORMANCE.md). A harness of its own (warm-up, repeated samples, median and spread); the JMH
 * module {@code microbench} measures the same operations in isolation.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark client adaptation and scoring, simulation throughput and memory, a compute roofline,"
                + " and plain and secure aggregation; print one summary table.")
public final class BenchCommand implements Runnable {
    @Option(names = {"-q", "--quick"}, description = "A smoke run of seconds: every figure, none of them stable.")
    boolean quick;

    @Option(names = {"-t", "--threads"}, defaultValue = "2",
            description = "Simulation worker threads, one ONNX Runtime each (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "Also write the figures to FILE: JSON when it ends in .json, else CSV.")
    Path out;

    @Option(names = "--load-ratings", paramLabel = "N",
            description = "Ratings of the synthetic dataset the Data rows load (default: 2,000,000; quick: 100,000). "
                    + "25000000 with --load-users 160000 is MovieLens-25M's size.")
    Long loadRatings;

    @Option(names = "--load-users", paramLabel = "U",
            description = "Users of that dataset (default: ratings / 156, MovieLens-25M's ratings per user).")
    Integer loadUsers;

    @Option(names = "--load-only", description = "Run only the Data rows (generate and load a dataset).")
    boolean loadOnly;

    @Option(names = "--ingest-devices", paramLabel = "N",
            description = "Concurrent devices of the Ingest rows (HTTPS coordinator vs TLS loopback limit; default:"
                    + " 1,000; quick: 50).")
    Integer ingestDevices;

    @Option(names = "--ingest-only", description = "Run only the Ingest rows.")
    boolean ingestOnly;

    /** Timed rounds of the Ingest rows in a full run. */
    private static final int INGEST_ROUNDS = 9;
    private final PrintStream stdout = System.out;

    @Override
    public void run() {
        long start = System.nanoTime();
        BenchSettings settings = quick ? BenchSettings.quick(threads) : BenchSettings.full(threads);
        // The throughput rounds use exactly the settings `./metafed simulate` runs with by default.
        SimulationConfig simulation = CommandLine.populateCommand(new SimulateCommand(), "--model", "melu").config();
        SimulationConfig collab = CommandLine.populateCommand(new SimulateCommand()).config();
        Path stores = SimulateCommand.createTempDir();
        BenchReport report;
        try {
            report = loadOnly || ingestOnly ? new BenchReport(Benchmarks.environment())
                    : Benchmarks.run(settings, simulation, collab, stores, part -> System.err.println("bench: " + part + "..."));
            if (!loadOnly) {
                System.err.println("bench: " + IngestBench.SECTION + "...");
                int devices = ingestDevices != null ? ingestDevices : quick ? 50 : 1_000;
                // One sample is a whole round of `devices` updates. Eight warm-up rounds: with fewer, the JIT's
                // compiler threads were still busy in the timed rounds and took CPU from the server (JFR).
                new IngestBench(devices, quick ? 1 : 8, quick ? 2 : INGEST_ROUNDS, stores).run(report);
            }
            if (!ingestOnly) {
                long n = loadRatings != null ? loadRatings : quick ? 100_000 : 2_000_000;
                int u = loadUsers != null ? loadUsers : (int) Math.max(1, n / 156);
                System.err.println("bench: " + LoadBench.SECTION + "...");
                new LoadBench(u, n, stores).run(report);
            }
        } finally {
            SimulateCommand.deleteRecursively(stores);
        }
        stdout.print(report.render());
        Map<String, String> env = report.environment();
        stdout.printf("(%s; %s processors, Java %s, max heap %s MiB; %s; %.0f s)%n", env.get("date"),
                env.get("processors"), env.get("java.version"), env.get("max.heap.mib"),
                quick ? "quick smoke run, figures not stable" : ingestOnly ? "medians of " + INGEST_ROUNDS + " rounds"
                        : "medians of " + settings.samples() + " samples (Ingest: " + INGEST_ROUNDS + " rounds)",
                (System.nanoTime() - start) / 1e9);
        if (out != null) {
            try {
                report.write(out);
            } catch (IOException e) {
                throw new UncheckedIOException("Unable to write " + out, e);
            }
            stdout.println("Wrote " + out);
        }
    }
}
