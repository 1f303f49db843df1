package io.metafed.coordinator.aggregate;

import io.metafed.model.Checks;
import java.util.Map;

/**
 * The outer (meta) step size ε as a function of the round number r (0-based: the first round uses r = 0).
 * Indexed by round rather than by successful aggregation so that a run replays from its config alone; a failed
 * round therefore still advances the schedule.
 */
public sealed interface EpsilonSchedule permits EpsilonSchedule.Constant, EpsilonSchedule.LinearDecay,
        EpsilonSchedule.HoldThenDecay {

    /** ε for round {@code round} (≥ 0). */
    double at(int round);

    /** Parameters for provenance, keys prefixed {@code epsilon.}. */
    Map<String, String> describe();

    /** Where {@link #annealed} leaves ε after its rounds, as a fraction of the initial ε. */
    double ANNEALED_FLOOR = 0.05;

    /**
     * ε held at {@code initial} for {@code holdRounds} rounds, then annealed linearly to {@link #ANNEALED_FLOOR} of
     * it over {@code decayRounds} rounds and held there (Reptile anneals its outer step, Nichol et al. 2018): with
     * ε = 1 every round's θ is the mean of a few sampled devices' models, so the last rounds' sampling noise lands
     * in θ whole; annealing averages it out, and holding first keeps the full step while the model is far off.
     *
     * @param decayRounds 0: {@link Constant} ε, whatever {@code holdRounds}
     */
    static EpsilonSchedule annealed(double initial, int holdRounds, int decayRounds) {
        Checks.nonNegative(holdRounds, "holdRounds");
        Checks.nonNegative(decayRounds, "decayRounds");
        if (decayRounds == 0) {
            return new Constant(initial);
        }
        return holdRounds == 0 ? new LinearDecay(initial, decayRounds, initial * ANNEALED_FLOOR)
                : new HoldThenDecay(initial, holdRounds, decayRounds, initial * ANNEALED_FLOOR);
    }

    /** ε_r = ε for every round. */
    record Constant(double epsilon) implements EpsilonSchedule {
        public Constant {
            Checks.positive(epsilon, "epsilon");
        }

        @Override
        public double at(int round) {
            Checks.nonNegative(round, "round");
            return epsilon;
        }

        @Override
        public Map<String, String> describe() {
            return Map.of("epsilon.schedule", "constant", "epsilon.value", Double.toString(epsilon));
        }
    }

    /**
     * ε_r = max(minimum, initial · (1 − r / totalRounds)): Reptile's linear annealing, floored so that rounds
     * past {@code totalRounds} still move the model a little instead of freezing it.
     */
    record LinearDecay(double initial, int totalRounds, double minimum) implements EpsilonSchedule {
        public LinearDecay {
            Checks.positive(initial, "initial");
            Checks.positive(totalRounds, "totalRounds");
            Checks.inRange(minimum, 0.0, initial, "minimum");
        }

        @Override
        public double at(int round) {
            Checks.nonNegative(round, "round");
            return Math.max(minimum, initial * (1.0 - (double) round / totalRounds));
        }

        @Override
        public Map<String, String> describe() {
            return Map.of("epsilon.schedule", "linear-decay", "epsilon.initial", Double.toString(initial),
                    "epsilon.totalRounds", Integer.toString(totalRounds),
                    "epsilon.minimum", Double.toString(minimum));
        }
    }

    /**
     * ε_r = initial for r < holdRounds, then {@link LinearDecay} over {@code decayRounds} rounds counted from
     * {@code holdRounds}: a warm-up-free "hold then anneal" schedule for runs whose length is known.
     */
    record HoldThenDecay(double initial, int holdRounds, int decayRounds, double minimum) implements EpsilonSchedule {
        public HoldThenDecay {
            Checks.nonNegative(holdRounds, "holdRounds");
            new LinearDecay(initial, decayRounds, minimum); // validates initial, decayRounds and minimum
        }

        @Override
        public double at(int round) {
            Checks.nonNegative(round, "round");
            return round < holdRounds ? initial
                    : new LinearDecay(initial, decayRounds, minimum).at(round - holdRounds);
        }

        @Override
        public Map<String, String> describe() {
            return Map.of("epsilon.schedule", "hold-then-linear-decay", "epsilon.initial", Double.toString(initial),
                    "epsilon.holdRounds", Integer.toString(holdRounds),
                    "epsilon.decayRounds", Integer.toString(decayRounds), "epsilon.minimum", Double.toString(minimum));
        }
    }
}
