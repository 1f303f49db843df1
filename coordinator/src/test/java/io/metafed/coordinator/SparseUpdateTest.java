package io.metafed.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metafed.coordinator.aggregate.Reptile;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.coordinator.round.ContributionBounds;
import io.metafed.coordinator.round.ContributionBounds.Action;
import io.metafed.coordinator.round.ContributionBounds.Combiner;
import io.metafed.coordinator.round.ContributionBounds.NormBound;
import io.metafed.coordinator.round.InvalidUpdateException;
import io.metafed.coordinator.round.ParticipantSampler;
import io.metafed.coordinator.round.RoundConfig;
import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.algorithm.LocalTraining;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ParamVector;
import io.metafed.model.nn.Support;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Updates that know their support ({@link ParamVector#adoptSparse}, what a collaborative client sends in process)
 * are normed, checked, clipped and summed over the support only: the model a coordinator ends with must be the one
 * the same updates give as dense vectors, to the bit, under every kind of contribution bound.
 */
class SparseUpdateTest {
    private static final ParamLayout LAYOUT = ParamLayout.of(new CollabConfig(range(60), 6, 4, 2.0, 3.0, 0.5));
    private static final int CLIENTS = 6;
    private static final LocalTraining FEDRECON = LocalTraining.builder(FederatedAlgorithm.FEDRECON).steps(5)
            .learningRate(0.01).batchSize(32).build();

    private static int[] range(int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 100 + i;
        }
        return ids;
    }

    private static Coordinator coordinator(ContributionBounds bounds) {
        CoordinatorConfig config = new CoordinatorConfig(RoundConfig.of(CLIENTS, 2, 1), FEDRECON,
                Reptile.constant(0.7), bounds, ParticipantSampler.seeded(1));
        float[] theta = new float[LAYOUT.size()];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < theta.length; i++) {
            theta[i] = (float) (r.nextDouble() - 0.5);
        }
        return Fixtures.coordinator(LAYOUT, theta, config, new InMemoryCheckpointStore(), CLIENTS);
    }

    /** A random support of a few item rows plus a tower-like block, and values (±0 included) inside it. */
    private static float[] update(SplittableRandom r, Support.Builder support, double scale) {
        float[] values = new float[LAYOUT.size()];
        support.add(0, 1 + r.nextInt(8));
        for (int k = 1 + r.nextInt(10); k > 0; k--) {
            int start = r.nextInt(LAYOUT.size() - 5);
            support.add(start, start + 5);
        }
        Support s = support.build();
        for (int i = 0; i < values.length; i++) {
            if (s.contains(i)) {
                int kind = r.nextInt(6);
                values[i] = kind == 0 ? -0f : kind == 1 ? 0f : (float) ((r.nextDouble() - 0.5) * scale);
            }
        }
        return values;
    }

    @Test
    void sparseAndDenseUpdates_giveTheSameModelToTheBit_underEveryBound() {
        List<ContributionBounds> all = List.of(ContributionBounds.unbounded(), ContributionBounds.fixed(100, 0.5),
                new ContributionBounds(100, new NormBound.MedianMultiple(1.5), Action.CLIP, Combiner.mean()),
                new ContributionBounds(100, new NormBound.MedianMultiple(2), Action.CLIP, new Combiner.Median()));
        for (ContributionBounds bounds : all) {
            Coordinator dense = coordinator(bounds);
            Coordinator sparse = coordinator(bounds);
            SplittableRandom r = new SplittableRandom(11);
            for (int round = 0; round < 3; round++) {
                RoundTask a = dense.openRound();
                RoundTask b = sparse.openRound();
                for (int i = 0; i < CLIENTS; i++) {
                    Support.Builder support = Support.builder(LAYOUT.size());
                    float[] values = update(r, support, i == 0 ? 40 : 1); // one outlier, for the bounds to act on
                    double weight = 1 + r.nextInt(30);
                    dense.submit(Fixtures.update(a, a.selectedClients().get(i), values.clone(), weight));
                    sparse.submit(Fixtures.update(b, b.selectedClients().get(i),
                            ParamVector.adoptSparse(values.clone(), support.build()), weight));
                }
                dense.closeRound();
                sparse.closeRound();
            }
            float[] x = dense.currentModel().params();
            float[] y = sparse.currentModel().params();
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), bounds + ": θ[" + i + "]");
            }
        }
    }

    @Test
    void aNonFiniteEntryInsideTheSupport_isRefusedAsADenseOneIs() {
        Coordinator c = coordinator(ContributionBounds.unbounded());
        RoundTask task = c.openRound();
        float[] values = new float[LAYOUT.size()];
        values[40] = Float.NaN;
        ParamVector delta = ParamVector.adoptSparse(values, Support.builder(LAYOUT.size()).add(30, 50).build());
        InvalidUpdateException e = assertThrows(InvalidUpdateException.class,
                () -> c.submit(Fixtures.update(task, task.selectedClients().get(0), delta, 1)));
        assertEquals("update from client " + task.selectedClients().get(0) + " has delta[40] = NaN, expected a"
                + " finite value", e.getMessage());
    }
}
