package io.metafed.coordinator;

import io.metafed.model.algorithm.LocalTraining;
import io.metafed.model.Checks;
import java.util.List;
import java.util.Objects;

/**
 * What a round asks of its clients: adapt model version {@code modelVersion} (fetch it with
 * {@link Coordinator#currentModel()} while the round is open) as {@code training} says and submit
 * Δ = φ − θ tagged with {@code roundId}, {@code modelVersion} and {@code layoutId}.
 *
 * @param selectedClients the sampled participants, in draw order
 */
public record RoundTask(int roundId, long modelVersion, long layoutId, List<String> selectedClients,
        LocalTraining training) {

    public RoundTask {
        Checks.nonNegative(roundId, "roundId");
        if (modelVersion < 0) {
            throw new IllegalArgumentException("modelVersion must be >= 0, found " + modelVersion);
        }
        selectedClients = List.copyOf(selectedClients);
        Objects.requireNonNull(training, "training");
    }
}
