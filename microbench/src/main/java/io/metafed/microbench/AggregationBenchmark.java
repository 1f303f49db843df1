package io.metafed.microbench;

import io.metafed.coordinator.aggregate.Reptile;
import io.metafed.coordinator.aggregate.WeightedSum;
import io.metafed.model.nn.ParamVector;
import io.metafed.security.secagg.SecAggBench;
import io.metafed.simulation.bench.BenchFixture;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The coordinator's cost per update: plain Reptile accumulation of one model-sized update, and one whole
 * secure-aggregation round (all clients and the server, clients on the common pool) at small n.
 */
@State(Scope.Thread)
public class AggregationBenchmark extends BenchmarkBase {
    private Reptile rule;
    private WeightedSum sum;
    private ParamVector theta;
    private ParamVector delta;

    @Setup
    public void setUp() {
        BenchFixture fixture = BenchFixture.standard();
        rule = Reptile.constant(1.0);
        theta = ParamVector.copyOf(fixture.theta());
        float[] d = new float[theta.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = 1e-4f * (i % 13 - 6);
        }
        delta = ParamVector.adopt(d);
        sum = new WeightedSum(theta.size());
    }

    @Benchmark
    public WeightedSum reptileAccumulateOneUpdate() {
        rule.accumulate(sum, theta, delta, 1.0);
        return sum;
    }

    @Benchmark
    public SecAggBench.Round secureAggregationRound(SecureRound round) {
        return SecAggBench.round(round.clients, theta.size(), 0.0);
    }

    /** Only the secure round varies the number of clients. */
    @State(Scope.Thread)
    public static class SecureRound {
        @Param({"5", "10"})
        public int clients;
    }
}
