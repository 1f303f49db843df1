package io.metafed.security.secagg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.security.secagg.SecAggMessages.KeyRoster;
import io.metafed.security.secagg.SecAggMessages.MaskedInput;
import io.metafed.security.secagg.SecAggMessages.ShareInbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A single masked input y_u of an all-zero (maximally non-uniform) x_u looks uniform to the server.
 *
 * <p>Math. Take d = 65,536 words = N = 262,144 bytes of y_u and count each byte value: O_b for
 * b = 0..255, expected E = N/256 = 1024. If the bytes are i.i.d. uniform (what the AES-CTR masks
 * should give), X² = Σ_b (O_b − E)²/E is approximately χ² with k = 255 degrees of freedom (E ≫ 5,
 * so the approximation is tight). P(χ²_255 &gt; 377.08) = 1e−6 (regularized upper incomplete gamma,
 * Q(127.5, 188.54) = 1.0e−6; the Wilson–Hilferty cube-root approximation gives 377.2). We reject
 * at 380, where Q = 6.1e−7: the test's false-failure probability per run is ≤ 1e−6. Keys and masks
 * come from unseeded SecureRandom, so the rate is per run, not fixed by a seed.
 *
 * <p>Power check: the same statistic on x_u itself (all bytes 0) is (N − E)²/E + 255·E ≈ 6.7e7.
 */
class MaskedInputUniformityTest {
    private static final int D = 65_536;
    private static final double CRITICAL_1E6 = 380.0;

    static double chiSquareOfBytes(int[] words) {
        long[] counts = new long[256];
        for (int w : words) {
            for (int shift = 0; shift < 32; shift += 8) {
                counts[(w >>> shift) & 0xff]++;
            }
        }
        double expected = words.length * 4.0 / 256;
        double x2 = 0;
        for (long o : counts) {
            x2 += (o - expected) * (o - expected) / expected;
        }
        return x2;
    }

    /** Runs rounds 0–2 of a 3-client round with production randomness; returns every y_u. */
    static List<MaskedInput> maskedZeros() {
        SecAggConfig config = new SecAggConfig(3, 2, D, 1);
        SecAggServer server = new SecAggServer(config);
        List<SecAggClient> clients = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            SecAggClient c = new SecAggClient(config, id);
            clients.add(c);
            server.acceptKeys(c.advertiseKeys());
        }
        KeyRoster roster = server.closeKeyAdvertisement().orElseThrow();
        clients.forEach(c -> server.acceptShares(c.shareKeys(roster)));
        Map<Integer, ShareInbox> inboxes = server.closeShareKeys().orElseThrow();
        List<MaskedInput> ys = new ArrayList<>();
        for (SecAggClient c : clients) {
            MaskedInput y = c.maskedInput(inboxes.get(c.clientId()), new int[D]);
            ys.add(y);
            server.acceptMaskedInput(y);
        }
        return ys;
    }

    @Test
    void maskedInput_allZeroInput_bytesPassChiSquareAtFalseFailure1e6() {
        int[] y = maskedZeros().get(0).maskedVector();

        double x2 = chiSquareOfBytes(y);

        assertTrue(x2 < CRITICAL_1E6, "χ² = " + x2 + " ≥ " + CRITICAL_1E6 + " (255 df): y_u is not uniform-looking");
    }

    @Test
    void chiSquare_allZeroPlaintext_rejectedSoTheTestHasPower() {
        assertTrue(chiSquareOfBytes(new int[D]) > 1e7);
    }
}
