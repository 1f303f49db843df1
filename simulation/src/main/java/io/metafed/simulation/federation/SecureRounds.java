package io.metafed.simulation.federation;

import io.metafed.coordinator.RoundTask;
import io.metafed.coordinator.round.SecureAggregate;
import io.metafed.model.nn.ParamVector;
import io.metafed.security.secagg.DropoutPlan;
import io.metafed.security.secagg.FixedPointEncoder;
import io.metafed.coordinator.server.secagg.SecAggMode;
import io.metafed.security.secagg.SecAggConfig;
import io.metafed.security.secagg.SecAggResult;
import io.metafed.security.secagg.SecAggSimulation;
import io.metafed.security.secagg.SecAggStage;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secure aggregation of one federated round in process: each participating client encodes w·clip(Δ) and w with
 * a {@link FixedPointEncoder} (done on its own side, see {@link #encode}), the clients and a server run the
 * Bonawitz et al. (2017) protocol via {@link SecAggSimulation} with client ids 1..k and the majority threshold
 * (or SecAgg+ per {@link #withMode}),
 * and the coordinator receives only the decoded sum as a {@link SecureAggregate}.
 *
 * <p>Randomness is seeded per (seed, round, client) so that a simulation is reproducible; the decoded sum does not
 * depend on it anyway (masks cancel exactly mod 2^32), only the protocol's transcript does. Production clients use
 * the library's default {@link SecureRandom}.
 */
public final class SecureRounds {
    private static final Logger LOG = LoggerFactory.getLogger(SecureRounds.class);

    private final FixedPointEncoder encoder;
    private final boolean unitWeights;
    private final double dropoutFraction;
    private final long seed;
    private final SecAggMode mode;

    /**
     * @param clipNorm        C of the encoder: longer updates are clipped
     * @param maxWeight       the largest example count any client may send (bounds the fixed-point range)
     * @param maxClients      the most clients a round selects
     * @param dropoutFraction clients of each round that vanish after sharing their keys, in [0, 1]
     */
    public SecureRounds(double clipNorm, double maxWeight, int maxClients, double dropoutFraction, long seed) {
        this(new FixedPointEncoder(clipNorm, maxWeight, maxClients), false, dropoutFraction, seed);
    }

    /**
     * For differentially private rounds: every client sends weight 1 (a weight would scale its influence beyond the
     * sensitivity C, see {@code DifferentiallyPrivate}) and clips to {@code clipNorm} on its own side.
     */
    public static SecureRounds unitWeights(double clipNorm, int maxClients, double dropoutFraction, long seed) {
        return new SecureRounds(new FixedPointEncoder(clipNorm, 1.0, maxClients), true, dropoutFraction, seed);
    }

    private SecureRounds(FixedPointEncoder encoder, boolean unitWeights, double dropoutFraction, long seed) {
        this(encoder, unitWeights, dropoutFraction, seed, SecAggMode.BONAWITZ);
    }

    private SecureRounds(FixedPointEncoder encoder, boolean unitWeights, double dropoutFraction, long seed,
            SecAggMode mode) {
        this.mode = java.util.Objects.requireNonNull(mode, "mode");
        this.encoder = encoder;
        this.unitWeights = unitWeights;
        if (!(dropoutFraction >= 0 && dropoutFraction <= 1)) {
            throw new IllegalArgumentException("dropoutFraction must be in [0, 1], found " + dropoutFraction);
        }
        this.dropoutFraction = dropoutFraction;
        this.seed = seed;
    }

    /** These rounds with the protocol chosen by {@code value} (Bonawitz unless told otherwise). */
    public SecureRounds withMode(SecAggMode value) {
        return new SecureRounds(encoder, unitWeights, dropoutFraction, seed, value);
    }

    public FixedPointEncoder encoder() {
        return encoder;
    }

    /** What a client sends into the protocol: its update and weight in fixed point (client side). */
    public int[] encode(float[] delta, int exampleCount) {
        return encoder.encode(delta, unitWeights ? 1.0 : exampleCount);
    }

    /** As {@link #encode(float[], int)}, reading Δ through its view. */
    public int[] encode(ParamVector delta, int exampleCount) {
        return encoder.encode(delta.buffer(), unitWeights ? 1.0 : exampleCount);
    }

    /** The decoded aggregate and which of the inputs (indexes into the lists passed) it contains. */
    public record Outcome(SecureAggregate aggregate, List<Integer> included, SecAggResult protocol) {
    }

    /**
     * Runs the protocol over {@code encoded} (one per entry of {@code clientIds}). Empty when fewer than two
     * clients are left (the protocol needs a pair to mask) or the protocol failed (too many dropouts): the
     * coordinator then gets nothing and the round fails on minUpdates, as with a real server.
     */
    public Optional<Outcome> aggregate(RoundTask task, List<String> clientIds, List<int[]> encoded) {
        int k = clientIds.size();
        if (k != encoded.size()) {
            throw new IllegalArgumentException("encoded must hold one vector per client: " + k + " clients, found "
                    + encoded.size());
        }
        if (k < 2) {
            LOG.warn("Round {}: secure aggregation needs at least 2 clients, found {}", task.roundId(), k);
            return Optional.empty();
        }
        int dimension = encoded.get(0).length;
        long roundSeed = seed * 1_000_003L + task.roundId();
        // The graph seed is part of the seeded transcript here; a real server draws it from SecureRandom.
        SecAggConfig config = mode.config(k, dimension, task.roundId(), roundSeed);
        SecAggResult result = new SecAggSimulation(config, id -> seeded(roundSeed * 65_537L + id))
                .run(encoded.toArray(int[][]::new), DropoutPlan.spread(k, dropoutFraction, SecAggStage.MASKED_INPUT));
        Optional<FixedPointEncoder.Aggregate> decoded = result.decode(encoder);
        if (decoded.isEmpty()) {
            LOG.warn("Round {}: secure aggregation failed ({} of {} clients survived, threshold {})", task.roundId(),
                    result.includedClients().size(), k, config.threshold());
            return Optional.empty();
        }
        List<Integer> included = new ArrayList<>();
        List<String> participants = new ArrayList<>();
        for (int id : result.includedClients()) {
            included.add(id - 1);
            participants.add(clientIds.get(id - 1));
        }
        FixedPointEncoder.Aggregate sum = decoded.get();
        SecureAggregate aggregate = new SecureAggregate(task.roundId(), task.modelVersion(), task.layoutId(),
                sum.weightedSum(), sum.weightSum(), participants);
        return Optional.of(new Outcome(aggregate, List.copyOf(included), result));
    }

    /** SHA1PRNG seeded before first use is deterministic in OpenJDK (unlike the default SecureRandom). */
    private static SecureRandom seeded(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA1PRNG is required for a reproducible simulation", e);
        }
    }
}
