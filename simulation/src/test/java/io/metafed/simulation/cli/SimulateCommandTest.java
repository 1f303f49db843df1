package io.metafed.simulation.cli;

import io.metafed.coordinator.aggregate.PrivacySettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.metafed.simulation.SimulationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
    @TempDir
    Path out;

    @Test
    void annealRounds_collabAnnealsItsLastHalf_meluKeepsConstantEpsilon_optionOverrides() {
        assertEquals(500, parsed().config().annealRounds());
        assertEquals(500, parsed().config().annealAfter());
        assertEquals(150, parsed("--rounds", "300").config().annealRounds());
        assertEquals(0, parsed("--model", "melu").config().annealRounds());
        assertEquals(0, parsed("--anneal-rounds", "0").config().annealRounds());
        SimulationConfig annealed = parsed("--rounds", "100", "--anneal-rounds", "40").config();
        assertEquals(60, annealed.annealAfter());
        io.metafed.coordinator.aggregate.EpsilonSchedule fedRecon =
                annealed.epsilon(io.metafed.model.algorithm.FederatedAlgorithm.FEDRECON);
        assertEquals(1.0, fedRecon.at(59));
        assertEquals(0.5, fedRecon.at(80), 1e-12); // 1·(1 − 20/40)
        // FedAvg averages the models whatever the schedule: ε = 1 every round.
        assertEquals(1.0, annealed.epsilon(io.metafed.model.algorithm.FederatedAlgorithm.FEDAVG).at(39));
    }

    private static SimulateCommand parsed(String... args) {
        SimulateCommand command = new SimulateCommand();
        new picocli.CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void simulate_tinyRun_printsTableAndWritesCsvJsonAndCharts() throws Exception {
        assumeFalse(Boolean.getBoolean("skipONNXTests"), "ONNX Runtime tests disabled by -DskipONNXTests");
        CliRun run = CliRun.of("simulate", "--model", "melu", "--rounds", "4", "--eval-every", "2", "--seeds", "1",
                    "--algorithms", "FEDAVG,FEDREPTILE", "--server-optimizer", "adam", "--meta-lr", "0.003", "--out", out.toString());
        String text = run.out();
        assertEquals(0, run.exit(), text + run.err());
        assertTrue(text.contains("FedReptile, 5 steps"), text);
        assertTrue(text.contains("FedAvg + fine-tune, 5 steps"), text);
        assertTrue(text.contains("Paired by seed"), text);
        String csv = Files.readString(out.resolve("results.csv"));
        assertTrue(csv.startsWith("model,seed,round,partition,steps,metric,value,rounds,failed_rounds,selected,"
                + "in_time,stragglers,surplus,adapted,used,dropped,virtual_seconds,mean_round_seconds,"
                + "longest_round_seconds\n"), csv);
        assertTrue(csv.contains("\"FedReptile\",1,4,USER_COLD,5,mae,"), csv);
        assertTrue(Files.readString(out.resolve("results.json")).contains("\"settings\""));
        byte[] png = Files.readAllBytes(out.resolve("curve-user_cold.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
    }

    @Test
    void simulate_withDp_printsEpsilonSpentAndWritesPrivacySettings() throws Exception {
        assumeFalse(Boolean.getBoolean("skipONNXTests"), "ONNX Runtime tests disabled by -DskipONNXTests");
        CliRun run = CliRun.of("simulate", "--model", "melu", "--rounds", "2", "--eval-every", "2", "--seeds", "1",
                    "--algorithms", "FEDREPTILE", "--dp-clip", "0.05", "--dp-noise", "1.0", "--out", out.toString());
        String text = run.out();
        assertEquals(0, run.exit(), text + run.err());
        assertTrue(text.contains("Privacy spent (user-level, δ = 1.0E-5"), text);
        assertTrue(text.matches("(?s).*seed 1  FedReptile +ε = [0-9.]+ .*median raw update norm.*"), text);
        assertTrue(Files.readString(out.resolve("results.json")).contains("\"noiseMultiplier\": \"1.0\""));
    }

    @Test
    void simulate_collabDefault_printsReconstructedRowsAndTheBiasComparison() throws Exception {
        CliRun run = CliRun.of("simulate", "--rounds", "20", "--clients", "8", "--eval-every", "20", "--seeds", "1",
                "--protocol", "melu", "--out", out.toString());
        String text = run.out();
        assertEquals(0, run.exit(), text + run.err());
        assertTrue(text.contains("Model: collab, protocol: melu"), text);
        assertTrue(text.contains("FedRecon, reconstructed"), text);
        assertTrue(text.contains("FedAvg + reconstruction"), text);
        assertTrue(text.contains("MAE(FedRecon, reconstructed) − MAE(Bias μ+b_u+b_i)"), text);
        assertTrue(Files.readString(out.resolve("results.csv")).contains("\"FedRecon\",1,20,USER_COLD,-1,mae,"));
    }

    @Test
    void simulate_overSelectionAndDeadline_printsWhatTheRoundsDidWithTheirClients() throws Exception {
        CliRun run = CliRun.of("simulate", "--rounds", "10", "--clients", "8", "--eval-every", "10", "--seeds", "1",
                "--algorithms", "FEDRECON", "--over-select", "1.5", "--device-latency", "10,0.5,0.2,10",
                "--round-deadline", "30", "--out", out.toString());
        String text = run.out();
        assertEquals(0, run.exit(), text + run.err());
        assertTrue(text.contains("Round pipeline (8 clients per round, over-selection 1.5, log-normal median 10s σ 0.5,"
                + " stragglers 0.2 × 10, deadline 30s):"), text);
        // ⌈8 · 1.5⌉ = 12 selected in each of 10 rounds.
        assertTrue(text.matches("(?s).*seed 1  FedRecon +10 rounds \\(0 failed\\): 120 selected, .*"), text);
        String json = Files.readString(out.resolve("results.json"));
        assertTrue(json.contains("\"roundDeadline\": \"30.0\""), json);
        // What the rounds did, per seed and model, beside the settings.
        com.google.gson.JsonObject stats = com.google.gson.JsonParser.parseString(json).getAsJsonObject()
                .getAsJsonObject("rounds").getAsJsonObject("1").getAsJsonObject("FedRecon");
        assertEquals(120, stats.get("selected").getAsLong());
        assertEquals(120, stats.get("inTime").getAsLong() + stats.get("stragglers").getAsLong());
        assertTrue(stats.get("used").getAsLong() <= 80, stats.toString()); // at most m = 8 per round
        // results.csv carries the same counts on each of the run's rows.
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        List<String> header = List.of(csv.get(0).split(",", -1));
        String[] row = csv.stream().filter(l -> l.startsWith("\"FedRecon\",1,10,")).findFirst()
                .orElseThrow(() -> new AssertionError(String.join("\n", csv))).split(",", -1);
        assertEquals(header.size(), row.length, String.join(",", row));
        String[] counts = {"rounds", "failedRounds", "selected", "inTime", "stragglers", "surplus", "adapted", "used",
                "dropped"};
        for (String key : counts) {
            String column = key.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
            assertEquals(stats.get(key).getAsLong(), Long.parseLong(row[header.indexOf(column)]), column);
        }
        assertEquals(10, Long.parseLong(row[header.indexOf("rounds")]));
        double virtual = stats.get("virtualSeconds").getAsDouble();
        assertTrue(virtual > 0, stats.toString()); // a latency model: rounds take virtual time
        assertEquals(virtual, Double.parseDouble(row[header.indexOf("virtual_seconds")]), 1e-6);
        assertEquals(virtual / 10, Double.parseDouble(row[header.indexOf("mean_round_seconds")]), 1e-6);
        assertEquals(stats.get("longestRoundSeconds").getAsDouble(),
                Double.parseDouble(row[header.indexOf("longest_round_seconds")]), 1e-6);
    }

    @Test
    void simulate_deadlineWithoutLatency_orOverSelectionBelowOne_fails() {
        CliRun run = CliRun.of("simulate", "--round-deadline", "30");
        assertTrue(run.exit() != 0);
        assertTrue(run.err().contains("--round-deadline needs --device-latency"), run.err());
        CliRun below = CliRun.of("simulate", "--over-select", "0.9");
        assertTrue(below.exit() != 0);
        assertTrue(below.err().contains("--over-select must be >= 1"), below.err());
        CliRun bad = CliRun.of("simulate", "--device-latency", "10");
        assertTrue(bad.exit() != 0);
        assertTrue(bad.err().contains("--device-latency must be MEDIAN,SIGMA[,FRACTION,SLOWDOWN]"), bad.err());
        // Over the network the server's own schedule decides; the in-process options would be silently ignored.
        CliRun network = CliRun.of("simulate", "--coordinator", "embedded", "--over-select", "1.3");
        assertTrue(network.exit() != 0);
        assertTrue(network.err().contains("--round-seconds and --over-selection"), network.err());
    }

    @Test
    void simulate_algorithmTheModelCannotTrain_failsNamingTheAlternatives() {
        CliRun run = CliRun.of("simulate", "--algorithms", "FEDREPTILE");
        assertTrue(run.exit() != 0);
        assertTrue(run.err().contains("does not train model collab: use FEDRECON or FEDAVG"), run.err());
    }

    @Test
    void simulate_dpClipWithoutNoise_fails() {
        assertTrue(CliRun.of("simulate", "--dp-clip", "0.5").exit() != 0);
    }

    @Test
    void simulate_unknownServerOptimizer_failsWithMessage() {
        CliRun run = CliRun.of("simulate", "--server-optimizer", "rmsprop");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--server-optimizer must be sgd, momentum or adam"), run.err());
    }

    @Test
    void simulate_embeddedCoordinator_runsTheCollabDefaultSecurelyOverTls() {
        CliRun run = CliRun.of("simulate", "--coordinator", "embedded", "--rounds", "2", "--clients",
                    "8", "--client-threads", "4");
        String text = run.out();
        assertEquals(0, run.exit(), text + run.err());
        assertTrue(text.contains("Model: collab/v1;dim=32;items=1200:"), text);
        assertTrue(text.contains("33 private per-user parameters that stay on each device"), text);
        assertTrue(text.contains("secure aggregation (the coordinator sees only the sum)"), text);
        assertTrue(text.contains("Model version 0 -> 2 "), text);
        assertTrue(text.contains("0 refused"), text);
        assertTrue(text.contains("FedRecon (networked), reconstructed"), text);
        assertTrue(text.contains("Bias μ+b_u+b_i"), text);
    }

    @Test
    void simulate_embeddedCoordinator_meluStillRunsOverTheNetwork() {
        assumeFalse(Boolean.getBoolean("skipONNXTests"), "ONNX Runtime tests disabled by -DskipONNXTests");
        CliRun run = CliRun.of("simulate", "--coordinator", "embedded", "--model", "melu", "--plain-updates",
                "--rounds", "2", "--clients", "8", "--client-threads", "4", "--eval-steps", "0,1");
        String text = run.out();
        assertEquals(0, run.exit(), text + run.err());
        assertTrue(text.contains("Model: melu/v1;") && text.contains("no private parameters"), text);
        assertTrue(text.contains("PLAIN updates"), text);
        assertTrue(text.contains("Model version 0 -> 2 "), text);
        assertTrue(text.contains("FedReptile (networked), 1 step"), text);
    }

    @Test
    void simulate_embeddedCoordinator_runsEveryRequestedAlgorithmOverTheNetwork() {
        assumeFalse(Boolean.getBoolean("skipONNXTests"), "ONNX Runtime tests disabled by -DskipONNXTests");
        // Each algorithm gets a coordinator of its own that announces it; Meta-SGD's layout carries its rates.
        CliRun run = CliRun.of("simulate", "--coordinator", "embedded", "--model", "melu", "--plain-updates",
                "-a", "FEDAVG,FOMAML,META_SGD", "--rounds", "2", "--clients", "8", "--client-threads", "4",
                "--eval-steps", "0,1");
        String text = run.out();
        assertEquals(0, run.exit(), text + run.err());
        for (String label : new String[] {"FedAvg", "FOMAML", "Meta-SGD"}) {
            assertTrue(text.contains("algorithm " + label + " (networked)"), text);
            assertTrue(text.contains(label + " (networked), 1 step"), text);
        }
        assertTrue(text.contains("0 refused"), text);
        assertTrue(text.contains("Bias μ+b_u+b_i"), text);
    }

    @Test
    void simulate_coordinatorWithANonFederatedAlgorithm_isRefused() {
        CliRun run = CliRun.of("simulate", "--coordinator", "embedded", "--model", "melu", "-a", "FEDAVG,LOCAL_ONLY");
        assertEquals(2, run.exit(), run.out() + run.err());
        assertTrue(run.err().contains("-a LOCAL_ONLY is not federated and has no networked form"), run.err());
        CliRun collab = CliRun.of("simulate", "--coordinator", "embedded", "-a", "FOMAML");
        assertEquals(2, collab.exit());
        assertTrue(collab.err().contains("FOMAML does not train model collab"), collab.err());
    }

    @Test
    void simulate_unknownEngine_namesTheEnginesFound() {
        CliRun run = CliRun.of("simulate", "--rounds", "1", "--engine", "spark", "--out", out.toString());
        assertEquals(2, run.exit(), run.out() + run.err());
        // This module's tests have no simulation-spark on the class path: the message says where the engine is.
        assertTrue(run.err().contains("--engine must be one of [in-process], found 'spark' (the spark engine is in"
                + " the simulation-spark module"), run.err());
    }

    @Test
    void simulate_masterWithoutSparkEngine_refused() {
        CliRun run = CliRun.of("simulate", "--rounds", "1", "--master", "local[2]", "--out", out.toString());
        assertEquals(2, run.exit(), run.out() + run.err());
        assertTrue(run.err().contains("--master and --partitions need --engine spark"), run.err());
    }
}
