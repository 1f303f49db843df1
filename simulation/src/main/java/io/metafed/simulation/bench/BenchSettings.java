package io.metafed.simulation.bench;

import io.metafed.model.Checks;

/**
 * How long {@code ./metafed bench} measures.
 *
 * @param warmups          unrecorded samples before each timing
 * @param samples          recorded samples per timing (median and spread over these)
 * @param opsPerSample     operations per sample for the sub-millisecond client operations
 * @param simRounds        timed federated rounds (after {@code warmups} untimed ones)
 * @param simUsers         virtual clients in the throughput simulation; 0 for every TRAIN user, as simulate does
 * @param memoryClients    virtual clients allocated to measure memory per client
 * @param sdkHeapClients   SDK clients, each with its own ONNX Runtime, open together to measure the SDK's heap
 * @param aggregationSize  updates per plain aggregation round
 * @param secaggClients    clients per secure aggregation round
 * @param matmulSize       side of the square matrices of the matrix-multiply rate
 * @param threads          simulation worker threads (each with its own ONNX Runtime)
 */
public record BenchSettings(int warmups, int samples, int opsPerSample, int simRounds, int simUsers,
                            int memoryClients, int sdkHeapClients, int aggregationSize, int secaggClients, int matmulSize, int threads) {
    public BenchSettings {
        Checks.nonNegative(warmups, "warmups");
        Checks.positive(samples, "samples");
        Checks.positive(opsPerSample, "opsPerSample");
        Checks.positive(simRounds, "simRounds");
        Checks.nonNegative(simUsers, "simUsers");
        Checks.positive(memoryClients, "memoryClients");
        Checks.positive(sdkHeapClients, "sdkHeapClients");
        Checks.positive(aggregationSize, "aggregationSize");
        if (secaggClients < 3) {
            throw new IllegalArgumentException("secaggClients must be >= 3 (a majority threshold below n), found "
                    + secaggClients);
        }
        Checks.positive(matmulSize, "matmulSize");
        Checks.positive(threads, "threads");
    }

    /**
     * Figures worth recording: about two minutes on two cores. 100 timed rounds: a round takes a few ms, and the
     * median of 20 still moved by a quarter between runs.
     */
    public static BenchSettings full(int threads) {
        return new BenchSettings(5, 15, 20, 100, 0, 500, 16, 100, 16, 256, threads);
    }

    /** A smoke run of seconds: every figure, none of them stable. */
    public static BenchSettings quick(int threads) {
        // As many clients as the full run: the live heap after GC varies by a few hundred KiB between measurements
        // (more inside a test JVM), so 16 virtual clients' ~2 KiB each, and one SDK client's ~150 KiB, each
        // measured negative once. Totals of 1 MiB and 2.4 MiB stay well above that noise.
        return new BenchSettings(1, 3, 2, 2, 48, 500, 16, 16, 4, 64, threads);
    }

    /** Whether the secure-aggregation JIT warm-up (two rounds of 100 clients) is worth its seconds. */
    public boolean warmSecureAggregation() {
        return warmups >= 3;
    }
}
