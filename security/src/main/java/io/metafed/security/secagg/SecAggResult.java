package io.metafed.security.secagg;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Outcome of a simulated round.
 *
 * @param outcome         the server's final stage: DONE or FAILED
 * @param sum             Σ x_u mod 2^32 over {@code includedClients}, or null when FAILED
 * @param includedClients U3, the clients whose inputs are in the sum (empty when FAILED)
 * @param stages          cost of each stage that ran
 * @param reconstructions Shamir reconstructions the server performed (0 when FAILED)
 */
public record SecAggResult(SecAggStage outcome, int[] sum, SortedSet<Integer> includedClients,
        List<StageCost> stages, int reconstructions) {
    public SecAggResult {
        sum = sum == null ? null : sum.clone();
        includedClients = Collections.unmodifiableSortedSet(new TreeSet<>(includedClients));
        stages = List.copyOf(stages);
    }

    @Override
    public int[] sum() {
        return sum == null ? null : sum.clone();
    }

    public Optional<int[]> sumIfDone() {
        return Optional.ofNullable(sum());
    }

    /** The decoded aggregate when the inputs were {@code encoder} encodings; empty when FAILED. */
    public Optional<FixedPointEncoder.Aggregate> decode(FixedPointEncoder encoder) {
        return sumIfDone().map(encoder::decode);
    }

    /**
     * Cost of one stage; nanos are summed over all clients that answered it.
     *
     * @param bytesUp   Σ client → server message bytes
     * @param bytesDown Σ server → client bytes (a broadcast counts once per recipient)
     */
    public record StageCost(SecAggStage stage, int activeClients, long clientNanos, long serverNanos,
            long bytesUp, long bytesDown) {}

    /** Mean client compute over the whole round, per client that answered round 0. */
    public double clientMillisPerClient() {
        long nanos = stages.stream().mapToLong(StageCost::clientNanos).sum();
        return nanos / 1e6 / Math.max(1, stages.get(0).activeClients());
    }

    public double serverMillis() {
        return stages.stream().mapToLong(StageCost::serverNanos).sum() / 1e6;
    }

    public double bytesUpPerClient() {
        return (double) stages.stream().mapToLong(StageCost::bytesUp).sum() / Math.max(1, stages.get(0).activeClients());
    }

    public double bytesDownPerClient() {
        return (double) stages.stream().mapToLong(StageCost::bytesDown).sum() / Math.max(1, stages.get(0).activeClients());
    }
}
