package io.metafed.security.secagg;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Who shares keys and masks with whom in a round (SecAgg+, Bell et al., CCS 2020): the Harary graph H(n, k) laid
 * over a pseudorandom permutation of the client ids 1..n.
 *
 * <p>Clients sit on a ring in the order of the permutation; each is joined to the k/2 nearest positions on either
 * side, and when k is odd (n even) also to the diametrically opposite position. The result is k-regular, symmetric
 * and k-connected, and because the permutation is uniform, each client's neighbourhood is a uniform k-subset of the
 * others: the number of corrupt or dropped neighbours is hypergeometric, which is what {@link SecAggPlusParameters}
 * bounds. With k = n − 1 every client is every other's neighbour: Bonawitz et al. exactly, permutation ignored.
 *
 * <p>The permutation is a Fisher–Yates shuffle driven by AES-256-CTR ({@link MaskPrg}) keyed by
 * HKDF-SHA256(graph seed, salt = round id, info = "metafed-secagg/v1/neighbour-graph"), so the server and every
 * client derive the same graph from the announced seed. Each swap index is a 64-bit word mod (i + 1): the bias is
 * below n / 2^64, immaterial here (the seed is public anyway; only its unpredictability before the round matters).
 */
public final class NeighbourGraph {
    static final byte[] GRAPH_INFO = "metafed-secagg/v1/neighbour-graph".getBytes(StandardCharsets.US_ASCII);
    private final int n;
    private final int k;
    /** order[p] = client id at ring position p; position[id] = its position (index 0 unused). */
    private final int[] order;
    private final int[] position;

    private NeighbourGraph(int n, int k, int[] order) {
        this.n = n;
        this.k = k;
        this.order = order;
        this.position = new int[n + 1];
        for (int p = 0; p < n; p++) {
            position[order[p]] = p;
        }
    }

    /** The graph of {@code config}: its client count, neighbour count and graph seed, bound to its round id. */
    public static NeighbourGraph of(SecAggConfig config) {
        return of(config.clientCount(), config.neighbours(), config.graphSeed(), config.roundId());
    }

    public static NeighbourGraph of(int n, int k, long graphSeed, long roundId) {
        SecAggConfig.requireNeighbours(n, k);
        int[] order = new int[n];
        for (int p = 0; p < n; p++) {
            order[p] = p + 1;
        }
        if (k < n - 1) { // the complete graph does not depend on the order; skip the shuffle
            shuffle(order, graphSeed, roundId);
        }
        return new NeighbourGraph(n, k, order);
    }

    private static void shuffle(int[] order, long graphSeed, long roundId) {
        byte[] ikm = ByteBuffer.allocate(Long.BYTES).putLong(graphSeed).array();
        byte[] key = Kdf.hkdfSha256(ikm, Kdf.roundSalt(roundId), GRAPH_INFO, MaskPrg.SEED_BYTES);
        int[] words = MaskPrg.expand(key, 2 * order.length);
        for (int i = order.length - 1; i > 0; i--) {
            long r = ((long) words[2 * i] << 32) | (words[2 * i + 1] & 0xffffffffL);
            int j = (int) Long.remainderUnsigned(r, i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    public int clientCount() {
        return n;
    }

    /** k, the degree of every client. */
    public int degree() {
        return k;
    }

    public boolean isComplete() {
        return k == n - 1;
    }

    /** Whether u and v (distinct ids) share keys and masks. */
    public boolean adjacent(int u, int v) {
        check(u);
        check(v);
        if (u == v) {
            return false;
        }
        if (isComplete()) {
            return true;
        }
        int gap = Math.abs(position[u] - position[v]);
        int dist = Math.min(gap, n - gap);
        return dist <= k / 2 || (k % 2 == 1 && 2 * dist == n);
    }

    /** The k neighbours of {@code u}, ascending. */
    public int[] neighbours(int u) {
        check(u);
        int[] out = new int[k];
        if (isComplete()) {
            for (int v = 1, i = 0; v <= n; v++) {
                if (v != u) {
                    out[i++] = v;
                }
            }
            return out;
        }
        int p = position[u];
        int i = 0;
        for (int d = 1; d <= k / 2; d++) {
            out[i++] = order[(p + d) % n];
            out[i++] = order[(p - d + n) % n];
        }
        if (k % 2 == 1) {
            out[i] = order[(p + n / 2) % n];
        }
        Arrays.sort(out);
        return out;
    }

    /** The client id at each ring position: the permutation, for tests and diagnostics. */
    int[] ringOrder() {
        return order.clone();
    }

    private void check(int id) {
        if (id < 1 || id > n) {
            throw new IllegalArgumentException("client id: must be in [1, " + n + "], got " + id);
        }
    }
}
