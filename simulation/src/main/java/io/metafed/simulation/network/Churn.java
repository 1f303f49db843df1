package io.metafed.simulation.network;

import io.metafed.security.secagg.SecAggStage;
import java.util.List;
import java.util.Optional;

/**
 * Which devices vanish in a securely aggregated round, and before which stage's message (ADVERTISE_KEYS: after
 * adapting, before advertising keys; SHARE_KEYS: after keys; MASKED_INPUT: after shares; UNMASKING: after the
 * masked input). Seeded: the same (seed, client, round) always gives the same answer.
 */
@FunctionalInterface
public interface Churn {
    /** The stages a device can vanish before, in protocol order. */
    List<SecAggStage> STAGES = List.of(SecAggStage.ADVERTISE_KEYS, SecAggStage.SHARE_KEYS, SecAggStage.MASKED_INPUT,
            SecAggStage.UNMASKING);

    Optional<SecAggStage> vanishesBefore(String clientId, int roundId);

    /** Nobody vanishes. */
    static Churn none() {
        return (client, round) -> Optional.empty();
    }

    /**
     * Each device of each round vanishes with probability {@code fraction}, uniformly after its keys, after its
     * shares or after its masked input. (Vanishing before the keys is not taking the task at all: the key stage
     * would only wait for the round's deadline.)
     */
    static Churn seeded(double fraction, long seed) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in [0, 1], found " + fraction);
        }
        return (client, round) -> {
            long h = mix(mix(seed ^ client.hashCode()) + round);
            double u = (h >>> 11) * 0x1.0p-53;
            return u < fraction ? Optional.of(STAGES.get(1 + (int) Math.floorMod(mix(h), STAGES.size() - 1L)))
                    : Optional.empty();
        };
    }

    /** SplitMix64's finalizer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
