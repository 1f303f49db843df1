package io.metafed.sdk;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.features.BatchEncoder;
import io.metafed.model.features.FeatureEncoder;
import io.metafed.model.features.FeatureSchema;
import io.metafed.model.nn.Batch;
import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ParamInitializer;
import io.metafed.model.nn.ParamLayout;
import java.util.List;
import java.util.SplittableRandom;

/** Shared test data: a small synthetic dataset and the MeLU-sized layout for it. */
public final class SdkFixtures {
    public static final Dataset DATA = SyntheticDataGenerator.generate(SyntheticConfig.small(7));
    public static final ParamLayout LAYOUT = ParamLayout.of(ModelConfig.melu(FeatureSchema.standard(DATA)));
    public static final BatchEncoder ENCODER = new BatchEncoder(new FeatureEncoder(LAYOUT.config().schema()), DATA);

    private SdkFixtures() {
    }

    /** Skips the calling test when the build was run with {@code -DskipONNXTests=true}. */
    public static void assumeOnnxEnabled() {
        assumeFalse(Boolean.getBoolean("skipONNXTests"), "ONNX Runtime tests disabled by -DskipONNXTests=true");
    }

    /** Initial params plus small noise, so no pre-activation sits exactly on a ReLU kink (biases start at 0). */
    public static float[] params(long seed) {
        float[] params = ParamInitializer.initialize(LAYOUT, seed, (float) DATA.meanRating());
        SplittableRandom random = new SplittableRandom(seed ^ 0x5eedL);
        for (int i = 0; i < params.length; i++) {
            params[i] += (float) ((random.nextDouble() - 0.5) * 0.1);
        }
        return params;
    }

    /** All ratings of {@code user}, in dataset order. */
    public static List<Interaction> ratingsOf(int user) {
        return DATA.interactions().stream().filter(in -> in.user() == user).toList();
    }

    /** The first user (by id) with between {@code min} and {@code max} ratings. */
    public static int userWithRatings(int min, int max) {
        for (int user = 1; user <= DATA.users().size(); user++) {
            int n = ratingsOf(user).size();
            if (n >= min && n <= max) {
                return user;
            }
        }
        throw new IllegalStateException("no user with " + min + ".." + max + " ratings");
    }

    /** The first {@code n} ratings of users in id order, as one training batch. */
    public static Batch batch(int n) {
        return ENCODER.encode(DATA.interactions().subList(0, n));
    }
}
