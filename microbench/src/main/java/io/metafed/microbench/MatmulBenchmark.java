package io.metafed.microbench;

import io.metafed.simulation.bench.Flops;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The roofline's compute rate: square float matrix multiply, 2n³ FLOPs per operation, on one core. */
@State(Scope.Thread)
public class MatmulBenchmark extends BenchmarkBase {
    @Param({"64", "256"})
    public int n;

    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setUp() {
        a = new float[n * n];
        b = new float[n * n];
        c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 7) * 0.25f;
            b[i] = (i % 5) * 0.5f;
        }
    }

    @Benchmark
    public float[] multiply() {
        Flops.multiply(a, b, c, n);
        return c;
    }
}
