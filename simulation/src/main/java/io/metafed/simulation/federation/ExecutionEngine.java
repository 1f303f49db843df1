package io.metafed.simulation.federation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * What runs a simulation's virtual clients: {@link #inProcess()} (worker threads of this JVM) or an engine another
 * module provides through {@link java.util.ServiceLoader} (e.g. {@code spark} from {@code simulation-spark}), so the
 * simulator itself never depends on a cluster framework. An engine lives for one command; it opens one
 * {@link ClientExecution} per client population (per seed and layout) and releases its cluster on {@link #close}.
 */
public interface ExecutionEngine extends AutoCloseable {
    /** The name of the engine every build has. */
    String IN_PROCESS = "in-process";

    /** What {@code --engine} names this engine. */
    String name();

    /** The clients of {@code setup}: built, with their ratings recorded, ready for rounds. */
    ClientExecution clients(ClientSetup setup);

    /**
     * Whether this engine's executions sum updates where the clients run ({@link ClientExecution#sumsUpdates}):
     * such an engine cannot serve secure aggregation or DP-FedAvg, which need each client's own update.
     */
    default boolean sumsUpdates() {
        return false;
    }

    @Override
    void close();

    /** Settings for {@link Provider#open}: a cluster master URL (null: the engine's default) and task partitions. */
    record Settings(String master, int partitions) {
        public Settings {
            if (partitions < 0) {
                throw new IllegalArgumentException("partitions must be >= 0 (0: the engine's default), found "
                        + partitions);
            }
        }
    }

    /** An engine offered by another module, listed in its {@code META-INF/services}. */
    interface Provider {
        String name();

        ExecutionEngine open(Settings settings);
    }

    /** Worker threads of this JVM: {@link ClientPool} over the setup's {@link WorkerRuntimes}. */
    static ExecutionEngine inProcess() {
        return new ExecutionEngine() {
            @Override
            public String name() {
                return IN_PROCESS;
            }

            @Override
            public ClientExecution clients(ClientSetup s) {
                return new ClientPool(s.workers(), s.layout(), s.data(), s.data().scale(), s.ratingsByUser(),
                        s.storeDir());
            }

            @Override
            public void close() {
                // the setups' worker runtimes belong to their owners
            }
        };
    }

    /**
     * The engine named {@code name}: in-process, or the provider of that name on the class path.
     *
     * @throws IllegalArgumentException naming the engines found when none has that name
     */
    static ExecutionEngine open(String name, Settings settings) {
        String wanted = name.toLowerCase(Locale.ROOT);
        if (wanted.equals(IN_PROCESS)) {
            return inProcess();
        }
        List<String> found = new ArrayList<>(List.of(IN_PROCESS));
        for (Provider p : ServiceLoader.load(Provider.class)) {
            if (p.name().equals(wanted)) {
                return p.open(settings);
            }
            found.add(p.name());
        }
        throw new IllegalArgumentException("--engine must be one of " + found + ", found '" + name + "'"
                + (wanted.equals("spark") ? " (the spark engine is in the simulation-spark module: put its jar and"
                + " Spark on the class path, as ./metafed does)" : ""));
    }
}
