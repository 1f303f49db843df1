package io.metafed.simulation.bench;

import io.metafed.simulation.SimulationConfig;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Runs every benchmark of {@code ./metafed bench} in turn. */
public final class Benchmarks {
    private Benchmarks() {
    }

    /**
     * @param simulation the simulator's settings the MeLU throughput rounds use (the defaults of simulate)
     * @param collabSimulation the settings of the collaborative model's throughput rounds (simulate's defaults)
     * @param storeDir   where the benchmark's clients keep their rating stores (the caller deletes it)
     * @param progress   told the name of each part as it starts
     */
    public static BenchReport run(BenchSettings settings, SimulationConfig simulation,
                                  SimulationConfig collabSimulation, Path storeDir, Consumer<String> progress) {
        BenchReport report = new BenchReport(environment());
        BenchFixture fixture = BenchFixture.standard();
        progress.accept(ClientBench.SECTION);
        new ClientBench(fixture, settings, storeDir).run(report);
        progress.accept(SimulationBench.SECTION);
        new SimulationBench(fixture, settings, simulation, collabSimulation, storeDir).run(report);
        progress.accept(CoordinatorBench.SECTION);
        new CoordinatorBench(fixture, settings).run(report);
        return report;
    }

    /** What the figures depend on, recorded with them. */
    public static Map<String, String> environment() {
        Runtime rt = Runtime.getRuntime();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("date", LocalDate.now(ZoneOffset.UTC).toString());
        env.put("processors", Integer.toString(rt.availableProcessors()));
        env.put("max.heap.mib", Long.toString(rt.maxMemory() >> 20));
        env.put("java.version", System.getProperty("java.version"));
        env.put("java.vm", System.getProperty("java.vm.name"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return env;
    }
}
