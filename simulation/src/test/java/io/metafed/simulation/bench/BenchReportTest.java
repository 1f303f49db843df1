package io.metafed.simulation.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {
    private static BenchReport twoSections() {
        BenchReport report = new BenchReport(Map.of("date", "2026-11-23"));
        report.add(BenchRow.millis("Client", "adapt, ORT", Timing.of(new double[] {1e6, 2e6, 3e6}), "adapt"));
        report.add(BenchRow.figure("Coordinator", "bytes up", 75_111, "B", "weight file, with commas"));
        return report;
    }

    @Test
    void render_twoSections_oneTableEachWithSpreadOrDash() {
        String out = twoSections().render();
        assertTrue(out.startsWith("Client"), out);
        assertTrue(out.contains("\nCoordinator"), out);
        assertTrue(out.contains("50%"), out); // (2.5 − 1.5) / 2 ms
        assertTrue(out.contains("75,111"), out);
        assertTrue(out.contains(" -"), out);
    }

    @Test
    void write_csvFile_headerThenOneQuotedLinePerRow(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("bench.csv");
        twoSections().write(csv);
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals(List.of("section,metric,value,unit,spread_percent,method",
                "Client,\"adapt, ORT\",2.00000,ms,50.0,\"adapt\"",
                "Coordinator,\"bytes up\",75111.0,B,NaN,\"weight file, with commas\""), lines);
    }

    @Test
    void write_jsonFile_holdsEnvironmentAndRows(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("bench.json");
        twoSections().write(json);
        String text = Files.readString(json, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"date\": \"2026-11-23\""), text);
        assertTrue(text.contains("\"metric\": \"bytes up\""), text);
    }
}
