package io.metafed.simulation.bench;

import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.features.BatchEncoder;
import io.metafed.model.features.FeatureEncoder;
import io.metafed.model.features.FeatureSchema;
import io.metafed.model.nn.Batch;
import io.metafed.model.nn.CollabInitializer;
import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ParamInitializer;
import io.metafed.model.nn.ParamLayout;
import io.metafed.simulation.CollabSettings;
import io.metafed.simulation.ModelFamily;
import io.metafed.simulation.SimulationRunner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What every benchmark runs on, shared by {@code ./metafed bench} and the JMH module: the embedded synthetic
 * dataset (seed 1, MovieLens-100K-sized), its MeLU and collaborative layouts (the latter over the dataset's
 * catalogue, with the simulator's defaults), an initial θ of each, and the ratings of the user with the most of
 * them, from which support sets of any size up to {@link #MAX_SUPPORT} are cut.
 */
public final class BenchFixture {
    /** The largest support set the benchmarks use; MeLU's tasks hold 13 to 100 ratings. */
    public static final int MAX_SUPPORT = 90;
    public static final long SEED = 1;

    private final Dataset data;
    private final ParamLayout layout;
    private final BatchEncoder encoder;
    private final float[] theta;
    private final ParamLayout collabLayout;
    private final float[] collabTheta;
    private final int user;
    private final List<Interaction> ratings;

    private BenchFixture(Dataset data) {
        this.data = data;
        this.layout = ParamLayout.of(ModelConfig.melu(FeatureSchema.standard(data)));
        this.encoder = new BatchEncoder(new FeatureEncoder(layout.config().schema()), data);
        this.theta = ParamInitializer.initialize(layout, SEED, (float) data.meanRating());
        this.collabLayout = SimulationRunner.layout(ModelFamily.COLLAB, CollabSettings.DEFAULT, data);
        this.collabTheta = CollabInitializer.initialize(collabLayout, SEED, (float) data.meanRating());
        Map<Integer, List<Interaction>> byUser = data.interactions().stream()
                .collect(Collectors.groupingBy(Interaction::user));
        Map.Entry<Integer, List<Interaction>> busiest = byUser.entrySet().stream()
                .max(Comparator.comparingInt((Map.Entry<Integer, List<Interaction>> e) -> e.getValue().size())
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .orElseThrow(() -> new IllegalStateException("the benchmark dataset has no ratings"));
        if (busiest.getValue().size() < MAX_SUPPORT) {
            throw new IllegalStateException("the busiest user must have at least " + MAX_SUPPORT + " ratings, found "
                    + busiest.getValue().size());
        }
        this.user = busiest.getKey();
        this.ratings = List.copyOf(busiest.getValue());
    }

    /** The default synthetic dataset of {@code ./metafed simulate} with seed {@value #SEED}. */
    public static BenchFixture standard() {
        return new BenchFixture(SyntheticDataGenerator.generate(SyntheticConfig.defaults(SEED)));
    }

    public Dataset data() {
        return data;
    }

    public ParamLayout layout() {
        return layout;
    }

    /** A copy of the initial global model θ. */
    public float[] theta() {
        return theta.clone();
    }

    /** The collaborative model over the dataset's items, with the simulator's default dimension and penalties. */
    public ParamLayout collabLayout() {
        return collabLayout;
    }

    /** A copy of the collaborative model's initial θ. */
    public float[] collabTheta() {
        return collabTheta.clone();
    }

    /** The user whose ratings the support sets are cut from. */
    public int user() {
        return user;
    }

    /** That user's first {@code size} ratings, 1 ≤ size ≤ {@value #MAX_SUPPORT}. */
    public List<Interaction> ratings(int size) {
        if (size < 1 || size > MAX_SUPPORT) {
            throw new IllegalArgumentException("size must be in [1, " + MAX_SUPPORT + "], found " + size);
        }
        return ratings.subList(0, size);
    }

    /** The encoded support set of {@code size} ratings. */
    public Batch support(int size) {
        return encoder.encode(ratings(size));
    }

    /** The first {@code count} catalog item ids in id order: candidates to score. */
    public int[] candidateItems(int count) {
        List<Integer> ids = new ArrayList<>(data.items().keySet());
        if (count < 1 || count > ids.size()) {
            throw new IllegalArgumentException("count must be in [1, " + ids.size() + "], found " + count);
        }
        ids.sort(null);
        return ids.subList(0, count).stream().mapToInt(Integer::intValue).toArray();
    }

    /** The feature rows of {@code count} candidates for the fixture's user. */
    public float[] candidateFeatures(int count) {
        return encoder.encodeCandidates(user, candidateItems(count));
    }
}
