package io.metafed.security.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.security.secagg.SecAggMessages.KeyAdvertisement;
import io.metafed.security.secagg.SecAggSignatures.PeerIdentity;
import io.metafed.security.signature.Ed25519KeyPair;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Signed SecAgg+ rounds: the graph is bound into the signatures, and the consistency check needs a majority of n. */
class SecAggSignaturesGraphTest {
    private static final SecAggConfig COMPLETE = new SecAggConfig(20, 11, 8, 5);
    private static final SecAggConfig SPARSE = new SecAggConfig(20, 6, 8, 5, 8, 42);

    @Test
    void keysMessage_bindsNeighboursAndSeedOnlyForSparseGraphs() {
        KeyAdvertisement ad = new KeyAdvertisement(3, new byte[32], new byte[32]);
        byte[] complete = SecAggSignatures.keysMessage(COMPLETE, "c3", ad);
        byte[] sparse = SecAggSignatures.keysMessage(SPARSE, "c3", ad);
        byte[] otherSeed = SecAggSignatures.keysMessage(new SecAggConfig(20, 6, 8, 5, 8, 43), "c3", ad);
        byte[] otherK = SecAggSignatures.keysMessage(new SecAggConfig(20, 6, 8, 5, 10, 42), "c3", ad);
        assertFalse(Arrays.equals(sparse, otherSeed));
        assertFalse(Arrays.equals(sparse, otherK));
        assertFalse(Arrays.equals(complete, sparse));
        // The complete graph's message is the v1 one, whatever seed a config carries: old signatures stay valid.
        assertTrue(Arrays.equals(complete, SecAggSignatures.keysMessage(new SecAggConfig(20, 11, 8, 5, 19, 77), "c3", ad)));
        assertTrue(new String(complete, java.nio.charset.StandardCharsets.US_ASCII).startsWith("metafed-secagg-keys-v1"));
    }

    @Test
    void consistencyQuorum_isTForCompleteAndAMajorityForSparse() {
        assertEquals(11, SecAggSignatures.consistencyQuorum(COMPLETE));
        assertEquals(11, SecAggSignatures.consistencyQuorum(SPARSE)); // max(t = 6, ⌊20/2⌋ + 1)
    }

    @Test
    void verifySurvivors_sparse_tSignaturesAreNotEnoughButAMajorityIs() {
        Map<Integer, PeerIdentity> ids = new HashMap<>();
        Map<Integer, Ed25519KeyPair> keys = new HashMap<>();
        for (int i = 1; i <= 20; i++) {
            Ed25519KeyPair k = Ed25519KeyPair.generate(TestRandomness.seeded(i));
            keys.put(i, k);
            ids.put(i, new PeerIdentity("c" + i, k.publicKey(), new byte[64]));
        }
        SortedSet<Integer> u3 = new TreeSet<>();
        IntStream.rangeClosed(1, 14).forEach(u3::add);
        Map<Integer, byte[]> sigs = new HashMap<>();
        for (int i = 1; i <= 10; i++) { // t = 6 ≤ 10 < 11
            sigs.put(i, SecAggSignatures.signSurvivors(keys.get(i), SPARSE, u3));
        }
        SecAggProtocolException e = assertThrows(SecAggProtocolException.class,
                () -> SecAggSignatures.verifySurvivors(SPARSE, u3, sigs, ids));
        assertTrue(e.getMessage().contains("quorum 11"), e.getMessage());
        sigs.put(11, SecAggSignatures.signSurvivors(keys.get(11), SPARSE, u3));
        SecAggSignatures.verifySurvivors(SPARSE, u3, sigs, ids); // 11 valid: passes
        // A signature made for the complete-graph round of the same n and t does not count in the sparse one.
        sigs.put(11, SecAggSignatures.signSurvivors(keys.get(11), COMPLETE, u3));
        assertThrows(SecAggProtocolException.class, () -> SecAggSignatures.verifySurvivors(SPARSE, u3, sigs, ids));
    }
}
