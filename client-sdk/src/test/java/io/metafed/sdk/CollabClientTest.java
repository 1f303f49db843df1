package io.metafed.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.data.Interaction;
import io.metafed.model.features.CollabEncoder;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.CollabInitializer;
import io.metafed.model.nn.CollabReference;
import io.metafed.model.nn.ParamLayout;
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
