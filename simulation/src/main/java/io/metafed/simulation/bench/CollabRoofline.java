package io.metafed.simulation.bench;

import io.metafed.model.data.Interaction;
import io.metafed.model.features.CollabEncoder;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.RidgeGram;
import io.metafed.simulation.SimulationConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The roofline of the collaborative model's FedRecon adaptations: a compute roof (the machine's best measured
 * arithmetic rate, the ridge Gram kernel's own rate beside it) and a bandwidth roof (streaming a round's dense
 * updates into an accumulator, measured with the simulator's threads), against the counted {@link CollabCost}.
 * The attainable rate is the lower of the two; each measured path is reported as a share of it. With updates
 * summed over their support the model is compute-bound: a few dot products of width d per rating and a small ridge
 * system per device, against a few tens of kB of gathers and update.
 */
final class CollabRoofline {
    private static final String SECTION = SimulationBench.SECTION;
    /**
     * Floats of the DRAM bandwidth probe's vector and of its accumulator, per thread: 32 MiB each, so two threads
     * stream 128 MiB, four times the machine's 32 MiB L3.
     */
    private static final int DRAM_FLOATS = 8 << 20;

    private final BenchFixture fixture;
    private final BenchSettings settings;
    private final SimulationConfig config;

    CollabRoofline(BenchFixture fixture, BenchSettings settings, SimulationConfig config) {
        this.fixture = fixture;
        this.settings = settings;
        this.config = config;
    }

    /**
     * @param devices      the simulated devices' ratings
     * @param computeRoof  the machine's best measured arithmetic rate (GFLOP/s per core, e.g. ONNX Runtime's GEMMs)
     * @param measured     adaptations/s of each measured path, by name, in the order to report them
     */
    void report(BenchReport report, Collection<List<Interaction>> devices, double computeRoof,
                Map<String, Double> measured) {
        ParamLayout layout = fixture.collabLayout();
        CollabCost cost = meanCost(layout, devices);
        int threads = settings.threads();
        report.add(BenchRow.figure(SECTION, "collab FLOPs per FedRecon adaptation (mean over devices)",
                cost.flops() / 1e6, "MFLOP", "counted by CollabCost from each device's encoded ratings, d = "
                        + layout.collab().dim() + ", k = " + config.innerSteps() + ", batch " + config.batchSize()));
        report.add(BenchRow.figure(SECTION, "collab bytes per adaptation, gathers (item and content rows, ratings)",
                cost.gatherBytes() / 1e3, "kB", "distinct rows read once, trained rows written once"));
        report.add(BenchRow.figure(SECTION, "collab bytes per adaptation, update (its support, and theta per round)",
                cost.updateBytes() / 1e3, "kB", "over Δ's support: written, read by the sum, accumulator read and"
                        + " written; θ read and written once per round of " + config.clientsPerRound() + "; |θ| = "
                        + layout.size()));

        double gram = gramRate(layout.collab().dim() + 1);
        report.add(BenchRow.figure(SECTION, "collab ridge Gram kernel, Java double, 1 core", gram, "GFLOP/s",
                "RidgeGram.accumulate, a (d+1)x(d+1) system, as CollabReference.reconstruct"));
        double roundBandwidth = bandwidth(layout.size(), config.clientsPerRound(), threads);
        report.add(BenchRow.figure(SECTION, "bandwidth, a round's dense updates summed (" + threads + " threads)",
                roundBandwidth, "GB/s", config.clientsPerRound() + " vectors of |θ| floats per thread, acc += w·x,"
                        + " 12 B per entry"));
        double dramBandwidth = bandwidth(DRAM_FLOATS, 1, threads);
        report.add(BenchRow.figure(SECTION, "bandwidth, 2 x 32 MiB per thread (DRAM, " + threads + " threads)",
                dramBandwidth, "GB/s", "acc += w·x beyond the L3, 12 B per entry"));
        double bandwidth = Math.max(roundBandwidth, dramBandwidth);
        double computeBound = threads * Math.max(gram, computeRoof) * 1e9 / cost.flops();
        double bandwidthBound = bandwidth * 1e9 / cost.bytes();
        double roof = Math.min(computeBound, bandwidthBound);
        report.add(BenchRow.figure(SECTION, "collab compute roof (" + threads + " cores)", computeBound,
                "adaptations/s", "cores x max(Gram kernel, best measured rate " + fmt(computeRoof)
                        + " GFLOP/s) / FLOPs per adaptation"));
        report.add(BenchRow.figure(SECTION, "collab bandwidth roof (" + threads + " threads)", bandwidthBound,
                "adaptations/s", "the higher bandwidth above / bytes per adaptation"));
        report.add(BenchRow.figure(SECTION, "collab roofline (the lower roof)", roof, "adaptations/s",
                computeBound < bandwidthBound ? "compute-bound" : "bandwidth-bound"));
        measured.forEach((path, rate) -> report.add(BenchRow.figure(SECTION, "collab measured / roofline, " + path,
                100 * rate / roof, "%", fmt(rate) + " adaptations/s / roofline")));
    }

    private CollabCost meanCost(ParamLayout layout, Collection<List<Interaction>> devices) {
        CollabEncoder encoder = new CollabEncoder(layout.collab(), fixture.data());
        CollabCost sum = new CollabCost(0, 0, 0);
        for (List<Interaction> ratings : devices) {
            sum = sum.plus(CollabCost.of(layout, encoder.encode(ratings), config.innerSteps(), config.batchSize(),
                    config.clientsPerRound()));
        }
        return sum.over(devices.size());
    }

    /**
     * GFLOP/s of the ridge reconstruction's inner kernel on one core, {@link RidgeGram#accumulate} as
     * {@code CollabReference.reconstruct} runs it: per rating w·φ, then the lower triangle of A += (w·φ) φᵀ and
     * b += w·φ·t, a (d+1)×(d+1) double system.
     */
    private double gramRate(int n) {
        int rows = 256;
        double[][] phi = new double[rows][n];
        double[][] weighted = new double[rows][n];
        double[] target = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                phi[r][i] = (((r * n + i) * 7919) % 97) / 97.0 - 0.5;
            }
            target[r] = 0.25;
        }
        double[][] a = new double[n][n];
        double[] b = new double[n];
        Timing timing = Timing.measure(settings.warmups() + 2, settings.samples(), 20, () -> {
            for (double[] row : a) {
                java.util.Arrays.fill(row, 0);
            }
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < n; i++) {
                    weighted[r][i] = 0.5 * phi[r][i];
                }
            }
            RidgeGram.accumulate(a, b, phi, weighted, target, rows, n);
        });
        // Per rating: n products w·φ, n(n+1)/2 multiply-adds of the triangle, n of b.
        double rate = rows * n * (n + 1 + 3.0) / timing.medianNanos();
        if (a[0][0] == 42.4242) { // keeps the result live
            throw new AssertionError();
        }
        return rate;
    }

    /**
     * GB/s of {@code acc[i] += w · x[i]} over {@code vectors} vectors of {@code length} floats per thread (a round's
     * dense updates summed), on {@code threads} threads at once, each with its own vectors: 12 bytes per entry.
     */
    private double bandwidth(int length, int vectors, int threads) {
        List<float[][]> data = new ArrayList<>();
        List<float[]> accumulators = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            float[][] v = new float[vectors][length];
            for (float[] x : v) {
                java.util.Arrays.fill(x, 0.001f * (t + 1));
            }
            data.add(v);
            accumulators.add(new float[length]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "metafed-bench-bandwidth");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Timing timing = Timing.measure(settings.warmups() + 2, settings.samples(), 1, () -> {
                List<Future<?>> running = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    float[][] v = data.get(t);
                    float[] acc = accumulators.get(t);
                    running.add(pool.submit(() -> {
                        for (float[] x : v) {
                            for (int i = 0; i < acc.length; i++) {
                                acc[i] += 0.5f * x[i];
                            }
                        }
                    }));
                }
                for (Future<?> f : running) {
                    f.get();
                }
            });
            return 12.0 * length * vectors * threads / timing.medianNanos();
        } finally {
            pool.shutdownNow();
        }
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
