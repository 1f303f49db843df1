package io.metafed.microbench;

import io.metafed.model.nn.ModelRuntime;
import io.metafed.simulation.bench.BenchFixture;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Personalized scoring: predicted ratings of 1,000 encoded candidates in one call. */
@State(Scope.Thread)
public class ScoringBenchmark extends BenchmarkBase {
    static final int CANDIDATES = 1000;

    @Param({"ORT", "JAVA"})
    public Runtimes runtime;

    private ModelRuntime model;
    private float[] theta;
    private float[] features;

    @Setup
    public void setUp() {
        BenchFixture fixture = BenchFixture.standard();
        model = runtime.open(fixture.layout());
        theta = fixture.theta();
        features = fixture.candidateFeatures(CANDIDATES);
    }

    @TearDown
    public void tearDown() {
        Runtimes.close(model);
    }

    @Benchmark
    public float[] score() {
        return model.predict(theta, features, CANDIDATES);
    }
}
