package io.metafed.coordinator.aggregate;

import io.metafed.model.Checks;
import java.util.Map;

/**
 * The outer (meta) step size ε as a function of the round number r (0-based: the first round uses r = 0).
 * Indexed by round rather than by successful aggregation so that a run replays from its config alone; a failed
 * round therefore still advances the schedule.
 */
public sealed interface EpsilonSchedule permits EpsilonSchedule.Constant, EpsilonSchedule.LinearDecay {

    /** ε for round {@code round} (≥ 0). */
    double at(int round);

    /** Parameters for provenance, keys prefixed {@code epsilon.}. */
    Map<String, String> describe();

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
}
