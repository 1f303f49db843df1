package io.metafed.coordinator.model;

import io.metafed.model.Checks;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a model version came from: enough to explain and replay it. {@code round} is −1 for the initial model,
 * which no round produced. Hyperparameters are kept sorted so that the text form of a provenance is stable.
 *
 * @param hyperparameters everything that shaped the aggregate (rule, ε of the round, optimizer, sampling, the
 *     clients' inner-loop settings), as strings so a file store can write them verbatim
 */
public record Provenance(int round, int participants, double totalWeight, SortedMap<String, String> hyperparameters,
        Instant createdAt, long layoutId, String libraryVersion, String javaVersion, String os, String arch) {

    public Provenance {
        if (round < -1) {
            throw new IllegalArgumentException("round must be >= -1 (-1 = initial model), found " + round);
        }
        Checks.nonNegative(participants, "participants");
        if (!(totalWeight >= 0) || Double.isInfinite(totalWeight)) {
            throw new IllegalArgumentException("totalWeight must be finite and >= 0, found " + totalWeight);
        }
        if (round >= 0 && participants == 0) {
            throw new IllegalArgumentException("a model from round " + round + " must have participants, found 0");
        }
        Objects.requireNonNull(hyperparameters, "hyperparameters");
        hyperparameters = Collections.unmodifiableSortedMap(new TreeMap<>(hyperparameters));
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(libraryVersion, "libraryVersion");
        Objects.requireNonNull(javaVersion, "javaVersion");
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(arch, "arch");
    }

    /** Provenance of an aggregate, stamped with {@code clock} and this JVM's platform facts. */
    public static Provenance ofRound(int round, int participants, double totalWeight,
            Map<String, String> hyperparameters, long layoutId, Clock clock) {
        return new Provenance(round, participants, totalWeight, new TreeMap<>(hyperparameters), clock.instant(),
                layoutId, RuntimeInfo.LIBRARY_VERSION, RuntimeInfo.JAVA_VERSION, RuntimeInfo.OS, RuntimeInfo.ARCH);
    }

    /** Provenance of the model the coordinator was started with. */
    public static Provenance initial(Map<String, String> hyperparameters, long layoutId, Clock clock) {
        return new Provenance(-1, 0, 0, new TreeMap<>(hyperparameters), clock.instant(), layoutId,
                RuntimeInfo.LIBRARY_VERSION, RuntimeInfo.JAVA_VERSION, RuntimeInfo.OS, RuntimeInfo.ARCH);
    }
}
