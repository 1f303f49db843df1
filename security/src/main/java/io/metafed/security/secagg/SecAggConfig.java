package io.metafed.security.secagg;

/**
 * Parameters of one secure-aggregation round, shared by the server and every client.
 *
 * @param clientCount number of clients n invited to the round; client ids are 1..n
 * @param threshold   Shamir threshold t, per neighbourhood: each client's secrets are split among itself and its
 *                    k neighbours, any t of those k + 1 shares recover them, and t − 1 colluding holders (with or
 *                    without the server) learn nothing. The round fails unless, for every client whose secret the
 *                    server needs, t of its holders answer. With the complete graph (k = n − 1) this is the
 *                    global threshold of Bonawitz et al.; choose t &gt; (k + 1)/2 so that two disjoint groups of
 *                    holders cannot each reconstruct a different secret of the same client
 * @param dimension   length d of every input vector, in 32-bit words (include the weight coordinate)
 * @param roundId     unique per round; bound into the key derivation, the share encryption and the graph, so
 *                    keys, masks, ciphertexts and neighbourhoods of one round are useless in another
 * @param neighbours  k, each client's degree in the {@link NeighbourGraph}: n − 1 is Bonawitz et al. (every pair
 *                    shares keys and masks); less is SecAgg+ (Bell et al., CCS 2020), see {@link SecAggPlusParameters}
 * @param graphSeed   the server's random seed of the graph's permutation, announced with the round (ignored when
 *                    k = n − 1)
 */
public record SecAggConfig(int clientCount, int threshold, int dimension, long roundId, int neighbours,
        long graphSeed) {
    public SecAggConfig {
        if (clientCount < 2) {
            throw new IllegalArgumentException("clientCount: must be ≥ 2, got " + clientCount);
        }
        requireNeighbours(clientCount, neighbours);
        if (threshold < 2 || threshold > neighbours + 1) {
            throw new IllegalArgumentException("threshold: must be in [2, neighbours + 1 = " + (neighbours + 1)
                    + "], got " + threshold);
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension: must be ≥ 1, got " + dimension);
        }
    }

    /** The complete graph (Bonawitz et al.): every client shares with every other. */
    public SecAggConfig(int clientCount, int threshold, int dimension, long roundId) {
        this(clientCount, threshold, dimension, roundId, clientCount - 1, 0L);
    }

    /** The recommended honest-majority threshold ⌊n/2⌋ + 1 over the complete graph. */
    public static SecAggConfig majority(int clientCount, int dimension, long roundId) {
        return new SecAggConfig(clientCount, clientCount / 2 + 1, dimension, roundId);
    }

    /** Whether this is the complete graph (Bonawitz et al.) rather than a sparse SecAgg+ graph. */
    public boolean complete() {
        return neighbours == clientCount - 1;
    }

    static void requireNeighbours(int n, int k) {
        if (k < 1 || k > n - 1) {
            throw new IllegalArgumentException("neighbours: must be in [1, clientCount − 1 = " + (n - 1) + "], got " + k);
        }
        if (k < n - 1 && k % 2 == 1 && n % 2 == 1) {
            // H(n, k) with k and n odd has one vertex of degree k + 1: not regular, so refuse it.
            throw new IllegalArgumentException("neighbours: must be even when clientCount (" + n
                    + ") is odd and neighbours < clientCount − 1, got " + k);
        }
    }

    boolean isClientId(int id) {
        return id >= 1 && id <= clientCount;
    }

    void requireClientId(String param, int id) {
        if (!isClientId(id)) {
            throw new SecAggProtocolException(param + ": must be a client id in [1, " + clientCount + "], got " + id);
        }
    }
}
