package io.metafed.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.data.Interaction;
import io.metafed.model.features.CollabEncoder;
import io.metafed.model.nn.CollabInitializer;
import io.metafed.model.nn.CollabReference;
import io.metafed.model.nn.CollabRuntime;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ParamVector;
import io.metafed.model.nn.Support;
import io.metafed.sdk.runtime.OrtCollabRuntime;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collaborative client's Δ is computed only within its support (μ, content tower, prior, its items' rows) and the
 * rest is zeroed: the update must equal, to the bit, φ − θ over all of θ, and φ must equal θ outside the support
 * (no runtime writes there), for both runtimes and every kind of adaptation.
 */
class SparseDeltaTest {
    static final ParamLayout LAYOUT = CollabClientTest.LAYOUT;

    @TempDir
    Path dir;

    private static List<AdaptationConfig> configs() {
        return List.of(new AdaptationConfig(5, 0.05f, 16, 11), new AdaptationConfig(3, 0.1f, 128, 2),
                new AdaptationConfig(0, 0.05f, 16, 5),
                new AdaptationConfig(4, 0.05f, 8, 3).withAlgorithm(FederatedAlgorithm.FEDAVG));
    }

    @Test
    void update_isTheDenseDifference_toTheBit_withTheReference() {
        check(new CollabReference(LAYOUT), "ref");
    }

    @Test
    void update_isTheDenseDifference_toTheBit_withOnnxRuntime() {
        SdkFixtures.assumeOnnxEnabled();
        try (OrtCollabRuntime ort = new OrtCollabRuntime(LAYOUT, 1)) {
            check(ort, "ort");
        }
    }

    private void check(CollabRuntime runtime, String name) {
        float[] theta = CollabInitializer.initialize(LAYOUT, 3, 3.5f);
        GlobalModel global = GlobalModel.of(1, LAYOUT, theta);
        int checked = 0;
        for (int user : new int[] {SdkFixtures.userWithRatings(1, 20), SdkFixtures.userWithRatings(21, 40),
                SdkFixtures.userWithRatings(41, 100_000)}) {
            List<Interaction> ratings = SdkFixtures.ratingsOf(user);
            CollabDevice device = new CollabDevice(runtime, new CollabEncoder(LAYOUT.collab(),
                    new DeviceProfiles(SdkFixtures.DATA.user(user), SdkFixtures.DATA)));
            for (AdaptationConfig config : configs()) {
                CollabDevice.Result r = device.adapt(global.vector(), ratings, config);
                Support support = r.support();
                assertFalse(support.isAll(), "a user with " + ratings.size() + " ratings touches few rows");
                for (int i = 0; i < theta.length; i++) {
                    if (!support.contains(i)) {
                        assertEquals(Float.floatToRawIntBits(theta[i]), Float.floatToRawIntBits(r.phi()[i]),
                                "φ[" + i + "] outside the support must still be θ's (" + config + ")");
                    }
                }
                try (MetafedClient client = client(name + "-" + user + "-" + checked, user, runtime)) {
                    ParamVector delta = client.adapt(global, config).deltaVector();
                    assertEquals(support, delta.support(), "the update carries the client's support");
                    for (int i = 0; i < theta.length; i++) {
                        float dense = r.phi()[i] - theta[i];
                        assertEquals(Float.floatToRawIntBits(dense), Float.floatToRawIntBits(delta.get(i)),
                                "Δ[" + i + "] (" + config + ", " + ratings.size() + " ratings)");
                    }
                    assertEquals(Double.doubleToRawLongBits(ParamVector.copyOf(delta.toArray()).norm()),
                            Double.doubleToRawLongBits(delta.norm()), "the norm over the support is the dense one");
                }
                checked++;
            }
        }
        assertEquals(12, checked, "adaptations checked");
    }

    private MetafedClient client(String name, int user, CollabRuntime runtime) {
        MetafedClient c = MetafedClient.builder().storePath(dir.resolve(name)).user(SdkFixtures.DATA.user(user))
                .catalog(SdkFixtures.DATA).layout(LAYOUT).collabRuntime(runtime).build();
        CollabClientTest.ClientPoolLike.record(c, SdkFixtures.ratingsOf(user));
        return c;
    }
}
