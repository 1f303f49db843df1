package io.metafed.sdk;

import io.metafed.model.train.MinibatchSampler;

import static io.metafed.sdk.SdkFixtures.DATA;
import static io.metafed.sdk.SdkFixtures.ENCODER;
import static io.metafed.sdk.SdkFixtures.LAYOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.data.Interaction;
import io.metafed.model.nn.Batch;
import io.metafed.model.nn.ReferenceModel;
import io.metafed.sdk.runtime.OrtModelRuntime;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adaptation and scoring through the client's own ONNX runtime, checked against {@link ReferenceModel}. */
class MetafedClientAdaptationTest {
    private static final double TOLERANCE = 1e-5;
    private static final int USER = SdkFixtures.userWithRatings(28, 40);
    private static final List<Interaction> RATINGS = SdkFixtures.ratingsOf(USER);
    private static final GlobalModel THETA = GlobalModel.of(4, LAYOUT, SdkFixtures.params(9));
    @TempDir
    Path dir;

    @BeforeEach
    void requireOnnxRuntime() {
        SdkFixtures.assumeOnnxEnabled();
    }

    private MetafedClient clientWithRatings() {
        MetafedClient client = MetafedClient.builder().storePath(dir.resolve("ratings.store"))
                .user(DATA.user(USER)).catalog(DATA).layout(LAYOUT).build();
        RATINGS.forEach(in -> client.recordRating(in.item(), in.rating()));
        return client;
    }

    @Test
    void adapt_zeroSteps_returnsZeroDeltaAndEqualLosses() {
        try (MetafedClient client = clientWithRatings()) {
            LocalUpdate update = client.adapt(THETA, new AdaptationConfig(0, 0.1f, 8, 1));
            assertArrayEquals(new float[LAYOUT.size()], update.delta());
            assertEquals(4, update.modelVersion());
            assertEquals(RATINGS.size(), update.exampleCount());
            assertEquals(update.lossBefore(), update.lossAfter());
        }
    }

    @Test
    void adapt_fiveFullBatchSteps_lowersSupportLoss() {
        try (MetafedClient client = clientWithRatings()) {
            LocalUpdate update = client.adapt(THETA, AdaptationConfig.fullBatch(5, 0.05f));
            assertTrue(update.lossAfter() < update.lossBefore(), update.toString());
            Batch support = ENCODER.encode(RATINGS);
            double thetaLoss = new ReferenceModel(LAYOUT).lossAndGradient(THETA.params(), support,
                    new float[LAYOUT.size()]);
            assertEquals(thetaLoss, update.lossBefore(), TOLERANCE, "full batch: lossBefore is θ's support loss");
        }
    }

    @Test
    void adapt_minibatches_deltaMatchesReferenceOnSameMinibatchSequence() {
        AdaptationConfig config = new AdaptationConfig(5, 0.05f, 8, 21);
        ReferenceModel reference = new ReferenceModel(LAYOUT);
        float[] theta = THETA.params();
        float[] phi = theta.clone();
        MinibatchSampler sampler = new MinibatchSampler(RATINGS.size(), config.batchSize(), config.seed());
        double firstLoss = 0;
        for (int s = 0; s < config.steps(); s++) {
            Batch minibatch = ENCODER.encode(Arrays.stream(sampler.next()).mapToObj(RATINGS::get).toList());
            double loss = reference.sgdStep(phi, minibatch, config.learningRate(), phi);
            firstLoss = s == 0 ? loss : firstLoss;
        }
        double lastLoss = reference.lossAndGradient(phi, ENCODER.encode(RATINGS), new float[LAYOUT.size()]);
        try (MetafedClient client = clientWithRatings()) {
            LocalUpdate update = client.adapt(THETA, config);
            float[] delta = update.delta();
            double maxDiff = 0;
            for (int i = 0; i < delta.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs((double) delta[i] - (phi[i] - theta[i])));
            }
            assertTrue(maxDiff <= TOLERANCE, "max |Δ − (φ_ref − θ)| = " + maxDiff);
            assertEquals(firstLoss, update.lossBefore(), TOLERANCE, "lossBefore");
            assertEquals(lastLoss, update.lossAfter(), TOLERANCE, "lossAfter");
            int[] items = RATINGS.stream().mapToInt(Interaction::item).toArray();
            float[] expected = reference.predict(phi, ENCODER.encodeCandidates(USER, items), items.length);
            float[] actual = client.predict(items);
            for (int i = 0; i < items.length; i++) {
                assertEquals(expected[i], actual[i], TOLERANCE, "prediction with φ of item " + items[i]);
            }
        }
    }

    @Test
    void recommend_afterAdapting_returnsKItemsSortedByScore() {
        int[] candidates = IntStream.rangeClosed(1, 300).toArray(); // more than one scoring chunk
        try (MetafedClient client = clientWithRatings()) {
            client.adapt(THETA, AdaptationConfig.fullBatch(3, 0.05f));
            List<Recommendation> top = client.recommend(10, candidates);
            assertEquals(10, top.size());
            float[] scores = client.predict(candidates);
            for (int i = 0; i < top.size(); i++) {
                Recommendation r = top.get(i);
                assertEquals(scores[r.item() - 1], r.score(), "score of item " + r.item());
                if (i > 0) {
                    assertTrue(Recommendation.BEST_FIRST.compare(top.get(i - 1), r) < 0, "order at " + i);
                }
            }
            float best = top.get(9).score();
            long better = IntStream.range(0, scores.length).filter(i -> scores[i] > best).count();
            assertTrue(better <= 9, "an item outside the top 10 scores higher than its 10th");
        }
    }

    @Test
    void close_suppliedRuntime_staysOpenForItsOwner() {
        try (OrtModelRuntime shared = new OrtModelRuntime(LAYOUT)) {
            for (int user : new int[] {USER, USER + 1}) {
                MetafedClient client = MetafedClient.builder().storePath(dir.resolve("u" + user))
                        .user(DATA.user(user)).catalog(DATA.items()).layout(LAYOUT).runtime(shared).build();
                client.recordRating(1, 4f);
                client.adapt(THETA, AdaptationConfig.fullBatch(1, 0.05f));
                client.close();
            }
            Batch batch = SdkFixtures.batch(2);
            assertEquals(2, shared.predict(THETA.params(), batch.features(), 2).length, "shared runtime still open");
        }
    }
}
