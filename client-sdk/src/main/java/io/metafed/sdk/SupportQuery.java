package io.metafed.sdk;

import io.metafed.model.nn.Batch;
import io.metafed.model.train.MinibatchSampler;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A device's ratings split by a seeded permutation into a support half (adapted on) and a query half (the
 * adapted model is judged on), each with its own minibatch sampler: what the meta-learners need to imitate, on
 * one device, the new-user situation they are trained for. With one rating both halves are that rating.
 */
final class SupportQuery {
    final Batch support;
    final Batch query;
    private final MinibatchSampler supportBatches;
    private final MinibatchSampler queryBatches;

    SupportQuery(Batch data, int batchSize, long seed) {
        int n = data.size();
        if (n < 2) {
            support = data;
            query = data;
        } else {
            int[] order = permutation(n, new SplittableRandom(seed));
            support = data.rows(Arrays.copyOfRange(order, 0, n / 2));
            query = data.rows(Arrays.copyOfRange(order, n / 2, n));
        }
        supportBatches = new MinibatchSampler(support.size(), batchSize, seed ^ 0x5DEECE66DL);
        queryBatches = new MinibatchSampler(query.size(), batchSize, seed ^ 0x9E3779B97F4A7C15L);
    }

    Batch nextSupport() {
        return supportBatches.fullBatch() ? support : support.rows(supportBatches.next());
    }

    Batch nextQuery() {
        return queryBatches.fullBatch() ? query : query.rows(queryBatches.next());
    }

    /** A uniformly random permutation of 0..n−1 (Fisher–Yates), the one the collaborative plan draws too. */
    static int[] permutation(int n, SplittableRandom random) {
        return io.metafed.model.nn.CollabAdaptationPlan.permutation(n, random);
    }
}
