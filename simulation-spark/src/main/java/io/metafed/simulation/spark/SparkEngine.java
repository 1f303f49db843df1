package io.metafed.simulation.spark;

import io.metafed.simulation.federation.ClientExecution;
import io.metafed.simulation.federation.ClientSetup;
import io.metafed.simulation.federation.ExecutionEngine;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's Spark engine ({@code simulate --engine spark}): one Spark context per command, one cached client
 * population per seed and layout. The master comes from {@code --master}, else from {@code spark.master} (which
 * spark-submit sets), else {@code local[2]}.
 */
public final class SparkEngine implements ExecutionEngine {
    private static final Logger LOG = LoggerFactory.getLogger(SparkEngine.class);
    public static final String NAME = "spark";
    static final String DEFAULT_MASTER = "local[2]";
    private static final String NATIVE_WARNING = "org.slf4j.simpleLogger.log.org.apache.hadoop.util.NativeCodeLoader";

    private final JavaSparkContext sc;
    private final boolean local;
    private final int partitions;

    public SparkEngine(Settings settings) {
        this(settings, new SparkConf());
    }

    /** An engine on {@code conf} (read from spark.* system properties by default) with {@code settings} on top. */
    public SparkEngine(Settings settings, SparkConf conf) {
        // Hadoop's one WARN line per run says only that its native codecs are absent, which a simulation never uses.
        if (System.getProperty(NATIVE_WARNING) == null) {
            System.setProperty(NATIVE_WARNING, "error");
        }
        String master = settings.master() != null ? settings.master() : conf.get("spark.master", DEFAULT_MASTER);
        conf.setMaster(master).setIfMissing("spark.app.name", "metafed-simulate");
        this.local = master.startsWith("local");
        // The UI is no use to a batch simulation on a laptop and takes a port; a cluster run can turn it on.
        conf.setIfMissing("spark.ui.enabled", "false");
        if (local) {
            // Local mode talks to itself only: loopback, whatever the machine's name resolves to.
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        this.sc = new JavaSparkContext(conf);
        this.partitions = settings.partitions() > 0 ? settings.partitions() : 2 * sc.defaultParallelism();
        LOG.info("Spark {} on {}: {} partitions of client data", sc.version(), master, partitions);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean sumsUpdates() {
        return true;
    }

    @Override
    public ClientExecution clients(ClientSetup setup) {
        return new SparkClients(sc, setup, partitions, local);
    }

    /** The Spark context (tests and benchmarks read its storage figures). */
    JavaSparkContext context() {
        return sc;
    }

    @Override
    public void close() {
        sc.stop();
        if (local) {
            ExecutorSide.closeRuntimes(); // the executors' runtimes live in this JVM
        }
    }

    /** The {@link java.util.ServiceLoader} entry: {@code --engine spark}. */
    public static final class Provider implements ExecutionEngine.Provider {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public ExecutionEngine open(Settings settings) {
            return new SparkEngine(settings);
        }
    }
}
