package io.metafed.microbench;

import io.metafed.model.nn.Batch;
import io.metafed.model.nn.ModelRuntime;
import io.metafed.model.train.InnerLoop;
import io.metafed.simulation.bench.BenchFixture;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** One local adaptation: k full-batch SGD steps of the shared inner loop on a support set. */
@State(Scope.Thread)
public class AdaptationBenchmark extends BenchmarkBase {
    @Param({"ORT", "JAVA"})
    public Runtimes runtime;

    @Param({"1", "5"})
    public int steps;

    @Param({"20", "90"})
    public int support;

    private ModelRuntime model;
    private InnerLoop loop;
    private InnerLoop.Config config;
    private Batch batch;
    private float[] theta;

    @Setup
    public void setUp() {
        BenchFixture fixture = BenchFixture.standard();
        model = runtime.open(fixture.layout());
        loop = new InnerLoop(model);
        config = InnerLoop.Config.fullBatch(steps, 0.05f);
        batch = fixture.support(support);
        theta = fixture.theta();
    }

    @TearDown
    public void tearDown() {
        Runtimes.close(model);
    }

    @Benchmark
    public float[] adapt() {
        float[] phi = theta.clone();
        loop.adapt(phi, batch, config);
        return phi;
    }
}
