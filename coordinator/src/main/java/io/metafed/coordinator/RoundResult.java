package io.metafed.coordinator;

import io.metafed.coordinator.model.ModelVersion;
import java.util.Objects;

/** How a round ended: a new global model, or a failure that left the global model as it was. */
public sealed interface RoundResult permits RoundResult.Aggregated, RoundResult.Failed {

    int roundId();

    /** The round produced {@code model}, now the current global model, using step size {@code epsilon}. */
    record Aggregated(int roundId, ModelVersion model, double epsilon) implements RoundResult {
        public Aggregated {
            Objects.requireNonNull(model, "model");
        }
    }

    /**
     * The round failed for {@code reason}; {@code modelVersion} is the unchanged current version.
     *
     * @param accepted updates the round had counted when it failed
     */
    record Failed(int roundId, String reason, int accepted, long modelVersion) implements RoundResult {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
