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
     * Cost of one stage; nanos are summed over the {@code activeClients} that answered it.
     *
     * @param bytesUp    Σ client → server message bytes
     * @param bytesDown  Σ server → client bytes of the stage's reply (a broadcast counts once per recipient)
     * @param recipients clients the reply went to
     */
    public record StageCost(SecAggStage stage, int activeClients, long clientNanos, long serverNanos,
            long bytesUp, long bytesDown, int recipients) {}

    /** Compute of a client that answers every stage: Σ over stages of the mean per answering client. */
    public double clientMillisPerClient() {
        return stages.stream().mapToDouble(s -> s.clientNanos() / 1e6 / Math.max(1, s.activeClients())).sum();
    }

    public double serverMillis() {
        return stages.stream().mapToLong(StageCost::serverNanos).sum() / 1e6;
    }

    /** Bytes a client that answers every stage sends. */
    public double bytesUpPerClient() {
        return stages.stream().mapToDouble(s -> (double) s.bytesUp() / Math.max(1, s.activeClients())).sum();
    }

    /** Bytes a client that answers every stage receives. */
    public double bytesDownPerClient() {
        return stages.stream().mapToDouble(s -> (double) s.bytesDown() / Math.max(1, s.recipients())).sum();
    }
}
