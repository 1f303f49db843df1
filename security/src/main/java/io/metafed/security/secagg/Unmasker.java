package io.metafed.security.secagg;

import io.metafed.security.secagg.SecAggMessages.KeyAdvertisement;
import io.metafed.security.secagg.SecAggMessages.UnmaskResponse;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.function.Function;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * The server's last step: Σ y_u − Σ_{u∈U3} PRG(b_u) ∓ Σ_{v∈U2\U3, u∈U3∩N(v)} PRG(s_uv).
 *
 * <p>Each owner's secret is interpolated from the first t responders (by id) that hold a share of it: its
 * neighbours, and itself if it survived. With the complete graph these are the same t responders for every owner,
 * so the Lagrange weights are computed once; with a sparse graph almost every owner has its own holder set, and
 * the weights are cached by that set. The cost that grows with dropouts is the last term: for each dropped client
 * v, |N(v) ∩ U3| mask expansions of d words — k instead of n − 1 per dropped client with SecAgg+.
 */
final class Unmasker {
    private final SecAggConfig config;
    private final NeighbourGraph graph;
    private final SortedMap<Integer, KeyAdvertisement> keys;
    private final SortedSet<Integer> survivors;
    private final Set<Integer> sharers;
    private final SortedMap<Integer, UnmaskResponse> responses;
    private final Map<List<Integer>, BigInteger[]> weights = new HashMap<>();
    private int reconstructions;

    Unmasker(SecAggConfig config, NeighbourGraph graph, SortedMap<Integer, KeyAdvertisement> keys,
            SortedSet<Integer> survivors, Set<Integer> sharers, SortedMap<Integer, UnmaskResponse> responses) {
        this.config = config;
        this.graph = graph;
        this.keys = keys;
        this.survivors = survivors;
        this.sharers = sharers;
        this.responses = responses;
    }

    int[] unmask(int[] maskedSum) {
        int[] sum = maskedSum.clone();
        for (int u : survivors) {
            byte[] b = reconstruct(u, UnmaskResponse::selfMaskShares);
            MaskPrg.addMask(b, sum, true);
        }
        for (int v : sharers) {
            if (survivors.contains(v)) {
                continue;
            }
            X25519PrivateKeyParameters sv = new X25519PrivateKeyParameters(reconstruct(v, UnmaskResponse::keyShares));
            if (!Arrays.equals(sv.generatePublicKey().getEncoded(), keys.get(v).maskPublicKey())) {
                throw new SecAggProtocolException("reconstructed mask key of dropped client " + v
                        + " does not match its advertised public key: some shares are corrupt");
            }
            for (int u : graph.neighbours(v)) {
                if (!survivors.contains(u)) {
                    continue;
                }
                // u added +PRG(s_uv) when v > u and −PRG(s_uv) when v < u; undo exactly that.
                byte[] seed = Kdf.agree(sv, keys.get(u).maskPublicKey(), config.roundId(), Kdf.MASK_SEED);
                MaskPrg.addMask(seed, sum, v > u);
            }
        }
        return sum;
    }

    int reconstructions() {
        return reconstructions;
    }

    private byte[] reconstruct(int owner, Function<UnmaskResponse, Map<Integer, byte[]>> which) {
        List<Integer> holders = new ArrayList<>(config.threshold());
        List<byte[]> ys = new ArrayList<>(config.threshold());
        for (UnmaskResponse r : responses.values()) {
            byte[] share = which.apply(r).get(owner);
            if (share != null) {
                holders.add(r.clientId());
                ys.add(share);
                if (holders.size() == config.threshold()) {
                    break;
                }
            }
        }
        if (holders.size() < config.threshold()) {
            // SecAggServer checks every neighbourhood before unmasking; reaching this is a bug, not a network event.
            throw new IllegalStateException("owner " + owner + ": " + holders.size() + " shares, need t="
                    + config.threshold());
        }
        BigInteger[] lambda = weights.computeIfAbsent(holders,
                h -> PrimeFieldShamir.lagrangeAtZero(h.stream().mapToInt(Integer::intValue).toArray()));
        reconstructions++;
        return PrimeFieldShamir.combine(lambda, ys.toArray(new byte[0][]));
    }
}
