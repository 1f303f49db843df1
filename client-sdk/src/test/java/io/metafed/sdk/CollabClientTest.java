package io.metafed.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.data.Interaction;
import io.metafed.model.features.CollabEncoder;
import io.metafed.model.nn.CollabBatch;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.CollabInitializer;
import io.metafed.model.nn.CollabReference;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ParamVector;
import io.metafed.model.nn.TensorSlot;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK with the collaborative model: ONNX Runtime adaptation equals the plain-Java reference's. */
class CollabClientTest {
    static final int[] ITEMS = SdkFixtures.DATA.items().keySet().stream().mapToInt(Integer::intValue).sorted()
            .toArray();
    static final ParamLayout LAYOUT = ParamLayout.of(CollabConfig.defaults(ITEMS,
            CollabEncoder.contentWidth(SdkFixtures.DATA.genres().size())));

    @TempDir
    Path dir;

    private MetafedClient client(String name, int user, boolean reference) {
        MetafedClient.Builder b = MetafedClient.builder().storePath(dir.resolve(name)).user(SdkFixtures.DATA.user(user))
                .catalog(SdkFixtures.DATA).layout(LAYOUT);
        if (reference) {
            b.collabRuntime(new CollabReference(LAYOUT));
        }
        MetafedClient c = b.build();
        ClientPoolLike.record(c, SdkFixtures.ratingsOf(user));
        return c;
    }

    @Test
    void adapt_onnxRuntime_matchesReference_andSendsOnlySharedParameters() {
        SdkFixtures.assumeOnnxEnabled();
        int user = SdkFixtures.userWithRatings(20, 80);
        float[] theta = CollabInitializer.initialize(LAYOUT, 3, 3.5f);
        GlobalModel global = GlobalModel.of(1, LAYOUT, theta);
        AdaptationConfig config = new AdaptationConfig(5, 0.05f, 16, 11);
        try (MetafedClient ort = client("ort.store", user, false); MetafedClient ref = client("ref.store", user, true)) {
            LocalUpdate a = ort.adapt(global, config);
            LocalUpdate b = ref.adapt(global, config);
            assertEquals(LAYOUT.size(), a.delta().length, "an update holds the shared parameters only");
            assertArrayEquals(b.delta(), a.delta(), 1e-5f);
            int[] items = {ITEMS[0], ITEMS[1], ITEMS[2], ITEMS[3]};
            assertArrayEquals(ref.predict(items), ort.predict(items), 1e-5f);
            // The user is personalized (its z differs from the prior): scores change after adaptation.
            ort.useGlobalModel(global);
            float[] prior = ort.predict(items);
            ort.adapt(global, config);
            assertNotEquals(prior[0], ort.predict(items)[0]);
            // Item rows the user never rated are not trained.
            TensorSlot emb = LAYOUT.slot(ParamLayout.ITEM_EMB);
            java.util.Set<Integer> rated = new java.util.HashSet<>();
            SdkFixtures.ratingsOf(user).forEach(in -> rated.add(LAYOUT.collab().row(in.item())));
            float[] delta = a.delta();
            for (int row = 0; row < ITEMS.length; row++) {
                if (!rated.contains(row)) {
                    for (int k = 0; k < LAYOUT.collab().dim(); k++) {
                        assertEquals(0f, delta[emb.offset() + row * LAYOUT.collab().dim() + k], "row " + row);
                    }
                }
            }
            assertTrue(a.lossAfter() < a.lossBefore(), a.toString());
        }
    }

    @Test
    void predict_clampsToTheRatingScale_recommendRanksByTheRawScores() {
        int user = SdkFixtures.userWithRatings(20, 80);
        float[] theta = CollabInitializer.initialize(LAYOUT, 3, 3.5f);
        // μ = 9: every raw score is far above the top of the 1–5 scale; item biases still tell items apart.
        theta[LAYOUT.slot(ParamLayout.MU).offset()] = 9f;
        TensorSlot bias = LAYOUT.slot(ParamLayout.ITEM_BIAS);
        for (int row = 0; row < 4; row++) {
            theta[bias.offset() + LAYOUT.collab().row(ITEMS[row])] = row;
        }
        int[] items = {ITEMS[0], ITEMS[1], ITEMS[2], ITEMS[3]};
        try (MetafedClient c = client("clamp.store", user, true)) {
            c.useGlobalModel(GlobalModel.of(1, LAYOUT, theta));
            assertArrayEquals(new float[] {5f, 5f, 5f, 5f}, c.predict(items), 0f);
            List<Recommendation> top = c.recommend(4, items);
            // b_i steps by 1 per item, far more than the initial user term: the order is the biases'.
            assertEquals(List.of(ITEMS[3], ITEMS[2], ITEMS[1], ITEMS[0]),
                    top.stream().map(Recommendation::item).toList(), top.toString());
            assertTrue(top.get(0).score() > 5f, "rankings keep the raw score: " + top);
        }
    }

    @Test
    void fedRecon_oneStep_reconstructsOnOneHalf_trainsOnTheOther_andMovesThePrior() {
        int user = SdkFixtures.userWithRatings(20, 80);
        float[] theta = CollabInitializer.initialize(LAYOUT, 5, 3.5f);
        CollabReference ref = new CollabReference(LAYOUT);
        CollabEncoder encoder = new CollabEncoder(LAYOUT.collab(), new DeviceProfiles(SdkFixtures.DATA.user(user),
                SdkFixtures.DATA), LAYOUT.collab().contentWidth() - CollabEncoder.contentWidth(0));
        CollabDevice device = new CollabDevice(ref, encoder);
        List<Interaction> ratings = SdkFixtures.ratingsOf(user);
        long seed = 17;
        float lr = 0.05f;
        float[] phi = device.adapt(ParamVector.copyOf(theta), ratings,
                new AdaptationConfig(FederatedAlgorithm.FEDRECON, 1, lr, Integer.MAX_VALUE, seed, lr)).phi();

        // Federated Reconstruction by hand from the reference's primitives.
        CollabBatch all = encoder.encode(ratings);
        int n = all.size();
        int[] order = SupportQuery.permutation(n, new java.util.SplittableRandom(seed));
        CollabBatch reconstruction = all.select(java.util.Arrays.copyOfRange(order, 0, n / 2));
        CollabBatch training = all.select(java.util.Arrays.copyOfRange(order, n / 2, n));
        float[] z = ref.reconstruct(theta, reconstruction);
        float[] gradient = new float[LAYOUT.size()];
        ref.lossAndGradient(theta, z, training, gradient, null);
        float[] zAll = ref.reconstruct(theta, all);
        TensorSlot prior = LAYOUT.slot(ParamLayout.PRIOR);
        for (int i = 0; i < theta.length; i++) {
            float expected = i >= prior.offset() && i < prior.end()
                    ? theta[i] + CollabDevice.PRIOR_RATE * (zAll[i - prior.offset()] - theta[i])
                    : theta[i] - lr * gradient[i];
            assertEquals(expected, phi[i], 1e-6f, "θ[" + i + "]");
        }

        // FedAvg on the same model: the user stays at the prior, all ratings train, the prior is not moved.
        float[] fedAvg = device.adapt(ParamVector.copyOf(theta), ratings,
                new AdaptationConfig(FederatedAlgorithm.FEDAVG, 1, lr, Integer.MAX_VALUE, seed, lr)).phi();
        ref.lossAndGradient(theta, device.priorOf(theta), all, gradient, null);
        for (int i = 0; i < theta.length; i++) {
            assertEquals(theta[i] - lr * gradient[i], fedAvg[i], 1e-6f, "FedAvg θ[" + i + "]");
        }
    }

    /** Records ratings as one imported history. */
    static final class ClientPoolLike {
        static void record(MetafedClient c, List<Interaction> ratings) {
            int[] items = ratings.stream().mapToInt(Interaction::item).toArray();
            float[] values = new float[items.length];
            for (int i = 0; i < items.length; i++) {
                values[i] = ratings.get(i).rating();
            }
            c.recordRatings(items, values);
        }
    }
}
