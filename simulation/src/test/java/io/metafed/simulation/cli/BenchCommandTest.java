package io.metafed.simulation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks that the smoke run reports every figure the issue asks for; timings are printed, never asserted. Runs in a
 * JVM of its own, as users run it: heap figures measured in the test JVM once came out negative.
 */
class BenchCommandTest {
    /** One entry per bullet of the benchmark issues: client, simulation, roofline, coordinator, ingest, data. */
    private static final List<String> EXPECTED = List.of(
            "adapt k=1 support=20, ORT", "adapt k=1 support=20, Java", "adapt k=5 support=20, ORT",
            "adapt k=5 support=20, Java", "adapt k=1 support=90, ORT", "adapt k=1 support=90, Java",
            "adapt k=5 support=90, ORT", "adapt k=5 support=90, Java",
            "score 1000 candidates (top 10), ORT", "score 1000 candidates (top 10), Java",
            "SDK peak heap", "rounds per minute", "client adaptations per second",
            "memory per virtual client (ratings stored)", "memory per virtual client (after one adaptation)",
            "matrix multiply", "ORT forward pass", "FLOPs per adaptation", "roofline adaptations per second",
            "measured / roofline",
            "plain aggregation updates/s", "plain aggregation throughput", "secure aggregation server time",
            "secure aggregation client time", "secure aggregation updates/s", "secure aggregation throughput",
            "bytes up per client per round (plain)", "bytes down per client per round (plain)",
            "bytes up per client per round (secure)", "bytes down per client per round (secure)",
            "collab FedRecon adapt k=5 support=20, ORT", "collab FedRecon adapt k=5 support=20, Java",
            "collab FedRecon adapt k=5 support=90, ORT", "collab FedRecon adapt k=5 support=90, Java",
            "collab score 1000 candidates (top 10), ORT", "collab score 1000 candidates (top 10), Java",
            "collab FedRecon rounds per minute", "collab FedRecon client adaptations per second",
            "collab FedRecon batched ORT client adaptations per second",
            "collab FLOPs per FedRecon adaptation", "collab bytes per adaptation, gathers",
            "collab bytes per adaptation, update", "collab ridge Gram kernel",
            "bandwidth, a round's dense updates", "bandwidth, 2 x 32 MiB per thread", "collab compute roof",
            "collab bandwidth roof", "collab roofline", "collab measured / roofline, plain-Java",
            "collab measured / roofline, batched ORT",
            "collab 1,682 items (56,464 params): bytes up per client per round (plain)",
            "collab 1,682 items (56,464 params): bytes down per client per round (plain)",
            "collab 1,682 items (56,464 params): bytes up per client per round (secure)",
            "collab 1,682 items (56,464 params): bytes down per client per round (secure)",
            "collab 1,682 items (56,464 params): secure aggregation client time",
            "collab 1,682 items (56,464 params): secure aggregation server time",
            "collab 3,706 items (123,256 params): bytes up per client per round (plain)",
            "collab 3,706 items (123,256 params): bytes up per client per round (secure)",
            "collab 60,000 items (1,980,958 params): bytes up per client per round (plain)",
            "collab 60,000 items (1,980,958 params): bytes up per client per round (secure)",
            "TLS loopback limit updates/s", "TLS loopback limit throughput", "coordinator ingestion updates/s",
            "coordinator ingestion throughput", "coordinator ingestion / TLS loopback limit",
            "TLS loopback limit: server CPU per update", "coordinator ingestion: server CPU per update",
            "coordinator ingestion: JVM CPU per update",
            "generate and write, ", "load wall time, ", "load CPU time", "load throughput", "heap retained per million ratings",
            "allocated while loading, per million ratings");

    @Test
    void bench_quick_printsAndWritesEveryRowWithFinitePositiveFigures(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        ForkedCliRun run = ForkedCliRun.of(dir, "bench", "--quick", "--out", json.toString());
        assertEquals(0, run.exit(), run.out() + run.err());

        JsonObject root = JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8)).getAsJsonObject();
        List<String> metrics = new ArrayList<>();
        for (JsonElement e : root.getAsJsonArray("rows")) {
            JsonObject row = e.getAsJsonObject();
            String metric = row.get("metric").getAsString();
            double value = row.get("value").getAsDouble();
            assertTrue(value > 0 && Double.isFinite(value), metric + " = " + value);
            assertTrue(run.out().contains(metric), "table lacks '" + metric + "':\n" + run.out());
            metrics.add(metric);
        }
        for (String expected : EXPECTED) {
            assertEquals(1, metrics.stream().filter(m -> m.startsWith(expected)).count(),
                    "rows starting with '" + expected + "' in " + metrics);
        }
        assertTrue(root.getAsJsonObject("environment").has("java.version"), root.toString());
    }
}
