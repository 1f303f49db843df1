package io.metafed.sdk;

import io.metafed.model.Checks;
import io.metafed.model.features.BatchEncoder;
import io.metafed.model.features.FeatureEncoder;
import io.metafed.model.nn.ModelRuntime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Scores and ranks catalog items for the device's user with a given parameter vector. */
final class CandidateScorer {
    /** Candidates are scored in chunks of this many rows, which bounds the runtime's buffers. */
    static final int CHUNK = 256;

    private final ModelRuntime runtime;
    private final DeviceProfiles profiles;
    private final BatchEncoder encoder;
    private final int user;

    CandidateScorer(ModelRuntime runtime, DeviceProfiles profiles, FeatureEncoder features, int user) {
        this.runtime = runtime;
        this.profiles = profiles;
        this.encoder = new BatchEncoder(features, profiles);
        this.user = user;
    }

    BatchEncoder encoder() {
        return encoder;
    }

    /** @throws IllegalArgumentException naming the item when it is not in the catalog */
    void requireItem(int item) {
        profiles.item(item);
    }

    /** Predicted ratings of {@code items}; every item is checked against the catalog before anything runs. */
    float[] score(float[] params, int[] items) {
        for (int item : items) {
            requireItem(item);
        }
        float[] scores = new float[items.length];
        for (int from = 0; from < items.length; from += CHUNK) {
            int[] chunk = Arrays.copyOfRange(items, from, Math.min(items.length, from + CHUNK));
            float[] part = runtime.predict(params, encoder.encodeCandidates(user, chunk), chunk.length);
            System.arraycopy(part, 0, scores, from, part.length);
        }
        return scores;
    }

    /** The {@code k} best distinct candidates in {@link Recommendation#BEST_FIRST} order. */
    List<Recommendation> topK(float[] params, int k, int[] candidates) {
        return rank(k, candidates, items -> score(params, items));
    }

    /** The {@code k} best distinct candidates by {@code scores}, in {@link Recommendation#BEST_FIRST} order. */
    static List<Recommendation> rank(int k, int[] candidates, java.util.function.Function<int[], float[]> scores) {
        Checks.positive(k, "k");
        Set<Integer> seen = new HashSet<>();
        for (int item : candidates) {
            if (!seen.add(item)) {
                throw new IllegalArgumentException("candidates must be distinct, found item " + item + " twice");
            }
        }
        float[] scored = scores.apply(candidates);
        List<Recommendation> ranked = new ArrayList<>(candidates.length);
        for (int i = 0; i < candidates.length; i++) {
            ranked.add(new Recommendation(candidates[i], scored[i]));
        }
        ranked.sort(Recommendation.BEST_FIRST);
        return List.copyOf(ranked.subList(0, Math.min(k, ranked.size())));
    }
}
