package io.metafed.simulation.bench;

import io.metafed.model.data.Interaction;
import io.metafed.model.nn.ParamLayout;
import io.metafed.sdk.runtime.OrtModelRuntime;
import io.metafed.simulation.SimulationConfig;
import java.util.Collection;
import java.util.List;

/** The compute roofline of the simulator's adaptations: measured rates and the model's counted FLOPs. */
final class Roofline {
    private static final String SECTION = SimulationBench.SECTION;

    private final BenchFixture fixture;
    private final BenchSettings settings;
    private final SimulationConfig config;

    Roofline(BenchFixture fixture, BenchSettings settings, SimulationConfig config) {
        this.fixture = fixture;
        this.settings = settings;
        this.config = config;
    }

    /**
     * Ideal adaptations/s if every core ran the model's FLOPs at the best measured compute rate: a plain-Java
     * matrix multiply, or ONNX Runtime's scoring graph on {@value ClientBench#CANDIDATES} rows (large dense
     * GEMMs, MLAS kernels). An adaptation is k minibatch steps plus the loss evaluation (one forward pass) over
     * the device's ratings.
     */
    double report(BenchReport report, Collection<List<Interaction>> devices, double measured) {
        ParamLayout layout = fixture.layout();
        int n = settings.matmulSize();
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        float[] c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 7) * 0.25f;
            b[i] = (i % 5) * 0.5f;
        }
        Timing matmul = Timing.measure(settings.warmups(), settings.samples(), 1, () -> Flops.multiply(a, b, c, n));
        double javaRate = 2.0 * n * n * n / matmul.medianNanos();
        report.add(new BenchRow(SECTION, "matrix multiply " + n + "x" + n + " float, Java, 1 core", javaRate,
                "GFLOP/s", matmul.spreadPercent(), "plain Java i-k-j loop, like the reference's dense layer"));

        int rows = ClientBench.CANDIDATES;
        float[] features = fixture.candidateFeatures(rows);
        long nonZeros = Flops.nonZeros(features);
        float[] theta = fixture.theta();
        double ortRate;
        try (OrtModelRuntime ort = new OrtModelRuntime(layout)) {
            Timing scoring = Timing.measure(settings.warmups(), settings.samples(), 1,
                    () -> ort.predict(theta, features, rows));
            ortRate = Flops.forward(layout, rows, nonZeros) / scoring.medianNanos();
            report.add(new BenchRow(SECTION, "ORT forward pass on " + rows + " rows, 1 thread", ortRate, "GFLOP/s",
                    scoring.spreadPercent(), "model FLOPs / OrtModelRuntime.predict time"));
        }

        double nonZerosPerRow = nonZeros / (double) rows;
        double total = 0;
        for (List<Interaction> ratings : devices) {
            int batch = Math.min(config.batchSize(), ratings.size());
            total += config.innerSteps() * Flops.sgdStep(layout, batch, Math.round(batch * nonZerosPerRow))
                    + Flops.forward(layout, ratings.size(), Math.round(ratings.size() * nonZerosPerRow));
        }
        double perAdaptation = total / devices.size();
        report.add(BenchRow.figure(SECTION, "FLOPs per adaptation (mean over devices)", perAdaptation / 1e6,
                "MFLOP", "counted from ParamLayout: " + layout.size() + " params, "
                        + Flops.denseMultiplyAdds(layout) + " dense MACs/row"));
        double rate = Math.max(javaRate, ortRate);
        double ideal = settings.threads() * rate * 1e9 / perAdaptation;
        report.add(BenchRow.figure(SECTION, "roofline adaptations per second (" + settings.threads() + " cores)",
                ideal, "adaptations/s", "cores x best rate above (" + (rate == ortRate ? "ORT" : "Java")
                        + ") / FLOPs per adaptation"));
        report.add(BenchRow.figure(SECTION, "measured / roofline", 100 * measured / ideal, "%",
                "client adaptations per second / roofline"));
        return rate;
    }
}
