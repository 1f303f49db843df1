package io.metafed.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ReferenceModel;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FOMAML and Meta-SGD through the client: ONNX Runtime gives the plain-Java reference's update. */
class MetaLearnerClientTest {
    private static final ParamLayout RATES = SdkFixtures.LAYOUT.withInnerRates();

    @TempDir
    Path dir;

    private MetafedClient client(String name, ParamLayout layout, int user, boolean reference) {
        MetafedClient.Builder b = MetafedClient.builder().storePath(dir.resolve(name))
                .user(SdkFixtures.DATA.user(user)).catalog(SdkFixtures.DATA).layout(layout);
        if (reference) {
            b.runtime(new ReferenceModel(layout.model()));
        }
        MetafedClient c = b.build();
        CollabClientTest.ClientPoolLike.record(c, SdkFixtures.ratingsOf(user));
        return c;
    }

    private static float[] withRates(float[] theta, float alpha) {
        float[] shared = Arrays.copyOf(theta, 2 * theta.length);
        Arrays.fill(shared, theta.length, shared.length, alpha);
        return shared;
    }

    @Test
    void metaSgd_onnxRuntime_matchesReference_andLearnsTheRates() {
        SdkFixtures.assumeOnnxEnabled();
        int user = SdkFixtures.userWithRatings(20, 80);
        GlobalModel global = GlobalModel.of(1, RATES, withRates(SdkFixtures.params(3), 0.05f));
        AdaptationConfig config = new AdaptationConfig(FederatedAlgorithm.META_SGD, 3, 0.05f, 16, 11L, 0.05f);
        try (MetafedClient ort = client("ort.store", RATES, user, false);
             MetafedClient ref = client("ref.store", RATES, user, true)) {
            LocalUpdate a = ort.adapt(global, config);
            LocalUpdate b = ref.adapt(global, config);
            assertEquals(RATES.size(), a.delta().length);
            assertArrayEquals(b.delta(), a.delta(), 1e-5f);
            int size = RATES.modelSize();
            long ratesMoved = java.util.stream.IntStream.range(size, 2 * size).filter(i -> a.delta()[i] != 0).count();
            assertTrue(ratesMoved > size / 10, "the inner learning rates are meta-learned: " + ratesMoved + " moved");
            int[] items = {1, 2, 3, 4};
            assertArrayEquals(ref.predict(items), ort.predict(items), 1e-4f);
            ort.useGlobalModel(global);
            float[] before = ort.predict(items);
            ort.personalize(global, AdaptationConfig.fullBatch(2, 0.05f).withAlgorithm(FederatedAlgorithm.META_SGD));
            assertNotEquals(before[0], ort.predict(items)[0], "personalization moved the scores");
        }
    }

    @Test
    void fomaml_onnxRuntime_matchesReference_andDiffersFromReptile() {
        SdkFixtures.assumeOnnxEnabled();
        int user = SdkFixtures.userWithRatings(20, 80);
        GlobalModel global = GlobalModel.of(1, SdkFixtures.LAYOUT, SdkFixtures.params(4));
        AdaptationConfig fomaml = new AdaptationConfig(FederatedAlgorithm.FOMAML, 3, 0.05f, 16, 11L, 0.1f);
        try (MetafedClient ort = client("ort.store", SdkFixtures.LAYOUT, user, false);
             MetafedClient ref = client("ref.store", SdkFixtures.LAYOUT, user, true)) {
            LocalUpdate a = ort.adapt(global, fomaml);
            assertArrayEquals(ref.adapt(global, fomaml).delta(), a.delta(), 1e-5f);
            LocalUpdate reptile = ref.adapt(global, fomaml.withAlgorithm(FederatedAlgorithm.FEDREPTILE));
            assertNotEquals(reptile.delta()[0], a.delta()[0]);
        }
    }

    @Test
    void layoutAndAlgorithm_mustFit() {
        int user = SdkFixtures.userWithRatings(20, 80);
        try (MetafedClient ref = client("ref.store", RATES, user, true)) {
            GlobalModel global = GlobalModel.of(1, RATES, withRates(SdkFixtures.params(3), 0.05f));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ref.adapt(global, AdaptationConfig.fullBatch(1, 0.05f)
                            .withAlgorithm(FederatedAlgorithm.FEDREPTILE)));
            assertTrue(e.getMessage().contains("use meta-sgd"), e.getMessage());
            // No algorithm named: a layout with rates means Meta-SGD.
            assertEquals(RATES.size(), ref.adapt(global, AdaptationConfig.fullBatch(1, 0.05f)).delta().length);
        }
    }
}
