package io.metafed.security.secagg;

/**
 * Parameters of one secure-aggregation round, shared by the server and every client.
 *
 * @param clientCount number of clients n invited to the round; client ids are 1..n
 * @param threshold   Shamir threshold t: the round fails unless at least t clients survive every
 *                    stage, and t − 1 colluding clients (with or without the server) learn nothing
 *                    about any honest client's masks. Choose t &gt; n/2 so that two disjoint groups
 *                    cannot each reconstruct a different mask of the same client
 * @param dimension   length d of every input vector, in 32-bit words (include the weight coordinate)
 * @param roundId     unique per round; bound into the key derivation and the share encryption, so
 *                    keys, masks and ciphertexts of one round are useless in another
 */
public record SecAggConfig(int clientCount, int threshold, int dimension, long roundId) {
    public SecAggConfig {
        if (clientCount < 2) {
            throw new IllegalArgumentException("clientCount: must be ≥ 2, got " + clientCount);
        }
        if (threshold < 2 || threshold > clientCount) {
            throw new IllegalArgumentException(
                    "threshold: must be in [2, clientCount=" + clientCount + "], got " + threshold);
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension: must be ≥ 1, got " + dimension);
        }
    }

    /** The recommended honest-majority threshold ⌊n/2⌋ + 1. */
    public static SecAggConfig majority(int clientCount, int dimension, long roundId) {
        return new SecAggConfig(clientCount, clientCount / 2 + 1, dimension, roundId);
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
