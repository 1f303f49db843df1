package io.metafed.security.secagg;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which simulated clients drop, and when: a client mapped to stage S answers every stage before S
 * and nothing from S on (S = ADVERTISE_KEYS: never shows up; MASKED_INPUT: shares its keys, then
 * vanishes, the case that makes the server regenerate pairwise masks; UNMASKING: sends y_u but no
 * shares).
 */
public record DropoutPlan(SortedMap<Integer, SecAggStage> dropAt) {
    public DropoutPlan {
        dropAt.forEach((id, stage) -> {
            if (stage == SecAggStage.DONE || stage == SecAggStage.FAILED) {
                throw new IllegalArgumentException("dropAt[" + id + "]: must be a protocol round, got " + stage);
            }
        });
        dropAt = Collections.unmodifiableSortedMap(new TreeMap<>(dropAt));
    }

    public static DropoutPlan none() {
        return new DropoutPlan(new TreeMap<>());
    }

    public static DropoutPlan of(Map<Integer, SecAggStage> dropAt) {
        return new DropoutPlan(new TreeMap<>(dropAt));
    }

    /** round(fraction·n) clients, evenly spaced over ids 1..n, all dropping at {@code stage}. */
    public static DropoutPlan spread(int clientCount, double fraction, SecAggStage stage) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction: must be in [0, 1], got " + fraction);
        }
        int drops = (int) Math.round(fraction * clientCount);
        TreeMap<Integer, SecAggStage> map = new TreeMap<>();
        for (int k = 0; k < drops; k++) {
            map.put(1 + (int) ((long) k * clientCount / drops), stage);
        }
        return new DropoutPlan(map);
    }

    /** Whether client {@code id} still answers in {@code stage}. */
    public boolean answers(int id, SecAggStage stage) {
        SecAggStage drop = dropAt.get(id);
        return drop == null || stage.ordinal() < drop.ordinal();
    }
}
