package io.metafed.security.secagg;

import io.metafed.security.secagg.SecAggMessages.KeyAdvertisement;
import io.metafed.security.secagg.SecAggMessages.UnmaskResponse;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.function.Function;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * The server's last step: Σ y_u − Σ_{u∈U3} PRG(b_u) ∓ Σ_{v∈U2\U3, u∈U3} PRG(s_uv).
 *
 * <p>Every responder holds a share of every owner's secrets, so the server interpolates with the
 * same t holders for every owner and computes the Lagrange weights once. The cost that grows with
 * dropouts is the last term: |U2\U3|·|U3| mask expansions of d words.
 */
final class Unmasker {
    private final SecAggConfig config;
    private final SortedMap<Integer, KeyAdvertisement> keys;
    private final SortedSet<Integer> survivors;
    private final Set<Integer> sharers;
    private final UnmaskResponse[] holders;
    private int reconstructions;

    Unmasker(SecAggConfig config, SortedMap<Integer, KeyAdvertisement> keys, SortedSet<Integer> survivors,
            Set<Integer> sharers, SortedMap<Integer, UnmaskResponse> responses) {
        this.config = config;
        this.keys = keys;
        this.survivors = survivors;
        this.sharers = sharers;
        this.holders = responses.values().stream().limit(config.threshold()).toArray(UnmaskResponse[]::new);
    }

    int[] unmask(int[] maskedSum) {
        int[] xs = Arrays.stream(holders).mapToInt(UnmaskResponse::clientId).toArray();
        BigInteger[] lambda = PrimeFieldShamir.lagrangeAtZero(xs);
        int[] sum = maskedSum.clone();
        for (int u : survivors) {
            byte[] b = reconstruct(lambda, u, UnmaskResponse::selfMaskShares);
            MaskPrg.addMask(b, sum, true);
        }
        for (int v : sharers) {
            if (survivors.contains(v)) {
                continue;
            }
            X25519PrivateKeyParameters sv = new X25519PrivateKeyParameters(reconstruct(lambda, v, UnmaskResponse::keyShares));
            if (!Arrays.equals(sv.generatePublicKey().getEncoded(), keys.get(v).maskPublicKey())) {
                throw new SecAggProtocolException("reconstructed mask key of dropped client " + v
                        + " does not match its advertised public key: some shares are corrupt");
            }
            for (int u : survivors) {
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

    private byte[] reconstruct(BigInteger[] lambda, int owner, Function<UnmaskResponse, Map<Integer, byte[]>> which) {
        byte[][] ys = new byte[holders.length][];
        for (int i = 0; i < holders.length; i++) {
            ys[i] = which.apply(holders[i]).get(owner);
        }
        reconstructions++;
        return PrimeFieldShamir.combine(lambda, ys);
    }
}
