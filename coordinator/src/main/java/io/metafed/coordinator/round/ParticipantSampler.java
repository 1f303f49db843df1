package io.metafed.coordinator.round;

import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Chooses a round's participants: uniform sampling without replacement. A server must use {@link #secure()}:
 * anyone who knows a seed could predict who is selected, and the DP accountant's amplification by sampling
 * assumes the selection is secret and uniform. {@link #seeded} replays a run bit for bit and is for simulations
 * and tests only.
 */
public interface ParticipantSampler {

    /** {@code min(count, distinct candidates)} of {@code candidates} for round {@code round}. */
    List<String> sample(Collection<String> candidates, int count, int round);

    /** For provenance: {@code secure} or {@code seeded:<seed>}. */
    String describe();

    /** Draws from a {@link SecureRandom} (the platform's default, self-seeded): unpredictable selection. */
    static ParticipantSampler secure() {
        return new Secure(new SecureRandom());
    }

    /** Replayable from (seed, round): {@link ClientSampler#sample(Collection, int, long, int)}. */
    static ParticipantSampler seeded(long seed) {
        return new Seeded(seed);
    }

    /** @param random shared by rounds; SecureRandom is thread-safe */
    record Secure(SecureRandom random) implements ParticipantSampler {
        public Secure {
            Objects.requireNonNull(random, "random");
        }

        @Override
        public List<String> sample(Collection<String> candidates, int count, int round) {
            return ClientSampler.sample(candidates, count, random::nextInt);
        }

        @Override
        public String describe() {
            return "secure";
        }
    }

    record Seeded(long seed) implements ParticipantSampler {
        @Override
        public List<String> sample(Collection<String> candidates, int count, int round) {
            return ClientSampler.sample(candidates, count, seed, round);
        }

        @Override
        public String describe() {
            return "seeded:" + seed;
        }
    }
}
