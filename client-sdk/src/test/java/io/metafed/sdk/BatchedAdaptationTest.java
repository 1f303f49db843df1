package io.metafed.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.features.CollabEncoder;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.CollabReference;
import io.metafed.model.nn.ParamLayout;
import io.metafed.sdk.runtime.OrtBatchedCollabRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MetafedClient#adaptTogether} (batched ONNX Runtime, a client axis) against {@link MetafedClient#adapt} with
 * the plain-Java {@link CollabReference}, client by client: the same Δ (dense), the same z kept for scoring and the
 * same losses, within {@value #TOLERANCE} (absolute on Δ's entries and on the predictions that read z, which are of
 * order 0.01–5; relative on the losses).
 */
class BatchedAdaptationTest {
    static final double TOLERANCE = 1e-5;
    /** Every catalogue item but each fifth, so a client rating those has items outside the catalogue (row −1). */
    static final int[] ALL_ITEMS = CollabClientTest.ITEMS;
    static final int[] CATALOGUE = catalogue();
    static final ParamLayout LAYOUT = ParamLayout.of(new CollabConfig(CATALOGUE,
            CollabEncoder.contentWidth(SdkFixtures.DATA.genres().size()), 8, 2.0, 3.0, 0.3));

    @TempDir
    Path dir;
    private OrtBatchedCollabRuntime runtime;
    private final List<MetafedClient> open = new ArrayList<>();

    @BeforeEach
    void openRuntime() {
        SdkFixtures.assumeOnnxEnabled();
        runtime = new OrtBatchedCollabRuntime(LAYOUT, 1);
    }

    @AfterEach
    void closeAll() {
        open.forEach(MetafedClient::close);
        if (runtime != null) {
            runtime.close();
        }
    }

    private static int[] catalogue() {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < ALL_ITEMS.length; i++) {
            if (i % 5 != 4) {
                kept.add(ALL_ITEMS[i]);
            }
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Random θ: every entry uniform in [−0.4, 0.4), μ = 3.5, so every gradient term matters. */
    static float[] theta(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] theta = new float[LAYOUT.size()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = (float) ((r.nextDouble() - 0.5) * 0.8);
        }
        theta[LAYOUT.slot(ParamLayout.MU).offset()] = 3.5f;
        return theta;
    }

    /**
     * A client whose store holds {@code items} rated by a seeded draw; its own runtime is the plain-Java reference
     * (what {@code adapt} and scoring use; {@code adaptTogether} uses the batched runtime instead).
     */
    private MetafedClient client(String name, int user, int[] items, long seed) {
        MetafedClient c = MetafedClient.builder().storePath(dir.resolve(name)).user(SdkFixtures.DATA.user(user))
                .catalog(SdkFixtures.DATA).layout(LAYOUT).collabRuntime(new CollabReference(LAYOUT)).build();
        open.add(c);
        if (items.length > 0) {
            SplittableRandom r = new SplittableRandom(seed);
            float[] ratings = new float[items.length];
            for (int i = 0; i < ratings.length; i++) {
                ratings[i] = 1 + r.nextInt(5);
            }
            c.recordRatings(items, ratings);
        }
        return c;
    }

    /** {@code n} items drawn from a pool of {@code pool} (repeats when n > pool), some outside the catalogue. */
    static int[] items(int n, int pool, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] choices = new int[pool];
        for (int i = 0; i < pool; i++) {
            choices[i] = ALL_ITEMS[r.nextInt(ALL_ITEMS.length)];
        }
        int[] items = new int[n];
        for (int i = 0; i < n; i++) {
            items[i] = choices[r.nextInt(pool)];
        }
        return items;
    }

    /** Items that are all outside the catalogue: scored, and trained, by their content alone. */
    static int[] outsideOnly(int n) {
        int[] items = new int[n];
        for (int i = 0; i < n; i++) {
            items[i] = ALL_ITEMS[(5 * i + 4) % (ALL_ITEMS.length - ALL_ITEMS.length % 5)];
        }
        return items;
    }

    private record Case(String name, int user, int[] items, AdaptationConfig config) {
    }

    private List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("one rating", 1, items(1, 1, 1), new AdaptationConfig(5, 0.05f, 16, 11)));
        cases.add(new Case("two ratings", 2, items(2, 2, 2), new AdaptationConfig(5, 0.08f, 16, 12)));
        cases.add(new Case("epochs: 40 ratings, batch 16", 3, items(40, 12, 3), new AdaptationConfig(5, 0.05f, 16,
                13)));
        cases.add(new Case("300 ratings, repeats", 4, items(300, 40, 4), new AdaptationConfig(5, 0.03f, 64, 14)));
        cases.add(new Case("content only", 5, outsideOnly(17), new AdaptationConfig(5, 0.05f, 8, 15)));
        cases.add(new Case("full batch", 6, items(25, 25, 6), new AdaptationConfig(5, 0.05f, 128, 16)));
        return cases;
    }

    @Test
    void adaptTogether_matchesAdaptClientByClient_deltaZAndLosses() {
        GlobalModel global = GlobalModel.of(4, LAYOUT, theta(9));
        List<Case> cases = cases();
        List<MetafedClient> batched = new ArrayList<>();
        List<AdaptationConfig> configs = new ArrayList<>();
        for (Case c : cases) {
            batched.add(client("b-" + c.user() + ".store", c.user(), c.items(), c.user()));
            configs.add(c.config());
        }
        List<AdaptationOutcome> outcomes = MetafedClient.adaptTogether(batched, global, configs, runtime);
        assertEquals(cases.size(), outcomes.size());
        double worst = 0;
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            MetafedClient one = client("r-" + c.user() + ".store", c.user(), c.items(), c.user());
            LocalUpdate expected = one.adapt(global, c.config());
            worst = Math.max(worst, assertSame(c.name(), expected, outcomes.get(i).update()));
            // The z kept for scoring: the same predictions for rated and unrated items alike.
            int[] probe = {ALL_ITEMS[0], ALL_ITEMS[4], ALL_ITEMS[7], ALL_ITEMS[ALL_ITEMS.length - 1]};
            float[] want = one.predict(probe);
            float[] got = batched.get(i).predict(probe);
            for (int k = 0; k < probe.length; k++) {
                assertEquals(want[k], got[k], TOLERANCE, c.name() + ": prediction of item " + probe[k]);
            }
        }
        System.out.println("batched vs one-client: largest |ΔΔ| = " + worst);
    }

    /** Asserts Δ, the example count and the losses agree; returns the largest difference of Δ's entries. */
    private static double assertSame(String name, LocalUpdate expected, LocalUpdate got) {
        assertEquals(expected.exampleCount(), got.exampleCount(), name);
        assertEquals(expected.modelVersion(), got.modelVersion(), name);
        assertEquals(expected.lossBefore(), got.lossBefore(), TOLERANCE * Math.max(1, expected.lossBefore()),
                name + ": lossBefore");
        assertEquals(expected.lossAfter(), got.lossAfter(), TOLERANCE * Math.max(1, expected.lossAfter()),
                name + ": lossAfter");
        float[] want = expected.delta();
        float[] have = got.delta();
        assertEquals(want.length, have.length);
        double worst = 0;
        int changed = 0;
        for (int k = 0; k < want.length; k++) {
            assertEquals(want[k], have[k], TOLERANCE, name + ": Δ[" + k + "]");
            worst = Math.max(worst, Math.abs(want[k] - have[k]));
            if (want[k] != 0) {
                changed++;
            }
            if (want[k] == 0) {
                assertEquals(0f, have[k], name + ": Δ[" + k + "] is untouched on the one-client path");
            }
        }
        assertTrue(changed > 0 || expected.lossBefore() == expected.lossAfter(), name + ": the update changes something"
                + " unless there were no steps");
        return worst;
    }

    @Test
    void aClientAlone_andInAGroup_getTheSameResult_paddingChangesNothing() {
        GlobalModel global = GlobalModel.of(1, LAYOUT, theta(3));
        List<Case> cases = cases();
        Case small = cases.get(0);
        MetafedClient alone = client("alone.store", small.user(), small.items(), 1);
        LocalUpdate solo = MetafedClient.adaptTogether(List.of(alone), global, List.of(small.config()), runtime)
                .get(0).update();
        List<MetafedClient> group = new ArrayList<>();
        List<AdaptationConfig> configs = new ArrayList<>();
        for (Case c : cases) {
            group.add(client("g-" + c.user() + ".store", c.user(), c.items(), c.user()));
            configs.add(c.config());
        }
        // The small client last this time: its rows sit behind the others', padded to the longest client.
        group.add(client("g-small.store", small.user(), small.items(), 1));
        configs.add(small.config());
        LocalUpdate inGroup = MetafedClient.adaptTogether(group, global, configs, runtime).get(cases.size()).update();
        float[] a = solo.delta();
        float[] b = inGroup.delta();
        for (int k = 0; k < a.length; k++) {
            assertEquals(a[k], b[k], 1e-7, "Δ[" + k + "]");
        }
        assertEquals(solo.lossBefore(), inGroup.lossBefore(), 1e-9);
        assertEquals(solo.lossAfter(), inGroup.lossAfter(), 1e-9);
    }

    @Test
    void fedAvgAndZeroSteps_matchAdapt_eachInItsOwnCall() {
        GlobalModel global = GlobalModel.of(2, LAYOUT, theta(5));
        AdaptationConfig fedAvg = new AdaptationConfig(FederatedAlgorithm.FEDAVG, 3, 0.05f, 8, 21, 0.05f);
        AdaptationConfig none = new AdaptationConfig(0, 0.05f, 8, 22);
        AdaptationConfig recon = new AdaptationConfig(5, 0.05f, 8, 23);
        int[] items = items(30, 20, 8);
        List<MetafedClient> group = List.of(client("a.store", 7, items, 7), client("b.store", 8, items, 8), client("c.store", 9, items, 9));
        List<AdaptationConfig> configs = List.of(fedAvg, none, recon);
        List<AdaptationOutcome> outcomes = MetafedClient.adaptTogether(group, global, configs, runtime);
        for (int i = 0; i < 3; i++) {
            MetafedClient one = client("r" + i + ".store", 7 + i, items, 7 + i);
            assertSame("config " + i, one.adapt(global, configs.get(i)), outcomes.get(i).update());
        }
    }

    @Test
    void aFailingClient_failsAlone() {
        GlobalModel global = GlobalModel.of(3, LAYOUT, theta(6));
        MetafedClient empty = client("empty.store", 10, new int[0], 10);
        MetafedClient diverging = client("div.store", 11, items(30, 30, 11), 11);
        MetafedClient fine = client("fine.store", 12, items(30, 30, 12), 12);
        AdaptationConfig ok = new AdaptationConfig(5, 0.05f, 8, 31);
        AdaptationConfig huge = new AdaptationConfig(5, 1e30f, 8, 32);
        List<AdaptationOutcome> outcomes = MetafedClient.adaptTogether(List.of(empty, diverging, fine), global,
                List.of(ok, huge, ok), runtime);
        assertFalse(outcomes.get(0).succeeded());
        assertTrue(outcomes.get(0).failure().getMessage().contains("no local ratings"), outcomes.get(0).toString());
        assertFalse(outcomes.get(1).succeeded());
        assertThrows(IllegalStateException.class, () -> outcomes.get(1).update());
        // The one-client path fails the same client the same way.
        MetafedClient ref = client("div-ref.store", 11, items(30, 30, 11), 11);
        assertThrows(IllegalStateException.class, () -> ref.adapt(global, huge));
        assertTrue(outcomes.get(2).succeeded());
        MetafedClient fineRef = client("fine-ref.store", 12, items(30, 30, 12), 12);
        assertSame("the fine client", fineRef.adapt(global, ok), outcomes.get(2).update());
    }
}
