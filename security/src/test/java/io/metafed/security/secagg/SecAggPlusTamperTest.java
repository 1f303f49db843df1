package io.metafed.security.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.security.secagg.SecAggMessages.EncryptedShare;
import io.metafed.security.secagg.SecAggMessages.KeyAdvertisement;
import io.metafed.security.secagg.SecAggMessages.KeyRoster;
import io.metafed.security.secagg.SecAggMessages.ShareInbox;
import io.metafed.security.secagg.SecAggMessages.ShareUpload;
import io.metafed.security.secagg.SecAggMessages.UnmaskRequest;
import io.metafed.security.secagg.SecAggMessages.UnmaskResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A SecAgg+ server (sparse graph: n = 12, k = 4, t = 3) that misroutes, over-asks or splits its requests is
 * refused, or learns no more than one of a client's two secrets; the refusing client ends FAILED.
 */
class SecAggPlusTamperTest {
    private static final SecAggConfig CONFIG = new SecAggConfig(12, 3, 16, 78, 4, 0xabcdefL);
    private static final NeighbourGraph GRAPH = NeighbourGraph.of(CONFIG);
    private final List<SecAggClient> clients = new ArrayList<>();
    private final SortedMap<Integer, ShareUpload> uploads = new TreeMap<>();
    private SecAggServer server;
    private Map<Integer, ShareInbox> inboxes;

    @BeforeEach
    void runRoundsZeroAndOne() {
        server = new SecAggServer(CONFIG);
        for (int id = 1; id <= CONFIG.clientCount(); id++) {
            SecAggClient c = new SecAggClient(CONFIG, id, TestRandomness.seeded(100 + id));
            clients.add(c);
            server.acceptKeys(c.advertiseKeys());
        }
        server.closeKeyAdvertisement().orElseThrow();
        for (SecAggClient c : clients) {
            ShareUpload up = c.shareKeys(server.rosterFor(c.clientId()));
            assertEquals(4, up.shares().size()); // one sealed pair per neighbour, none for the other 7
            uploads.put(c.clientId(), up);
            server.acceptShares(up);
        }
        inboxes = server.closeShareKeys().orElseThrow();
    }

    private SecAggClient client(int id) {
        return clients.get(id - 1);
    }

    private int nonNeighbourOf(int u) {
        return IntStream.rangeClosed(1, CONFIG.clientCount()).filter(v -> v != u && !GRAPH.adjacent(u, v))
                .findFirst().orElseThrow();
    }

    private void allSendMaskedInputs() {
        for (SecAggClient c : clients) {
            server.acceptMaskedInput(c.maskedInput(inboxes.get(c.clientId()), new int[CONFIG.dimension()]));
        }
    }

    private static SortedSet<Integer> set(int... ids) {
        return Arrays.stream(ids).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    private static SortedSet<Integer> allBut(int... ids) {
        SortedSet<Integer> s = set(IntStream.rangeClosed(1, CONFIG.clientCount()).toArray());
        Arrays.stream(ids).forEach(s::remove);
        return s;
    }

    @Test
    void shareUpload_toANonNeighbour_refusedByServer() {
        SecAggServer s = new SecAggServer(CONFIG);
        clients.forEach(c -> s.acceptKeys(new KeyAdvertisement(c.clientId(), new byte[32], new byte[32])));
        s.closeKeyAdvertisement().orElseThrow();
        ShareUpload honest = uploads.get(1);
        List<EncryptedShare> shares = new ArrayList<>(honest.shares());
        shares.set(0, new EncryptedShare(1, nonNeighbourOf(1), shares.get(0).ciphertext()));

        SecAggProtocolException e = assertThrows(SecAggProtocolException.class,
                () -> s.acceptShares(new ShareUpload(1, shares)));
        assertTrue(e.getMessage().contains("bad share"), e.getMessage());
        s.acceptShares(honest); // the honest upload is still taken: the bad one changed nothing
    }

    @Test
    void inbox_shareFromANonNeighbour_refusedAndClientFails() {
        int w = nonNeighbourOf(1);
        List<EncryptedShare> shares = new ArrayList<>(inboxes.get(1).shares());
        shares.add(new EncryptedShare(w, 1, uploads.get(w).shares().get(0).ciphertext()));

        SecAggProtocolException e = assertThrows(SecAggProtocolException.class,
                () -> client(1).maskedInput(new ShareInbox(1, shares), new int[CONFIG.dimension()]));
        assertTrue(e.getMessage().contains("unexpected share " + w + " → 1"), e.getMessage());
        assertEquals(SecAggStage.FAILED, client(1).stage());
    }

    @Test
    void roster_withTooFewNeighbours_refusedBeforeSharing() {
        SecAggClient fresh = new SecAggClient(CONFIG, 1, TestRandomness.seeded(9));
        KeyAdvertisement mine = fresh.advertiseKeys();
        SortedMap<Integer, KeyAdvertisement> keys = new TreeMap<>(server.rosterFor(1).keys());
        keys.put(1, mine);
        int[] nb = GRAPH.neighbours(1);
        keys.remove(nb[0]);
        keys.remove(nb[1]);
        keys.remove(nb[2]); // 1 + 1 holders < t = 3, though the roster has U1-wide entries enough for t
        for (int v = 1; v <= 12; v++) {
            if (!keys.containsKey(v) && !GRAPH.adjacent(1, v) && v != 1) {
                keys.put(v, server.rosterFor(v).keys().get(v));
            }
        }

        SecAggProtocolException e = assertThrows(SecAggProtocolException.class, () -> fresh.shareKeys(new KeyRoster(keys)));
        assertTrue(e.getMessage().contains("neighbourhood of 1"), e.getMessage());
        assertEquals(SecAggStage.FAILED, fresh.stage());
    }

    @Test
    void unmask_requestNamesNeighbourAsSurvivorAndDropped_refused() {
        allSendMaskedInputs();
        int v = GRAPH.neighbours(1)[0];
        UnmaskRequest greedy = new UnmaskRequest(allBut(), set(v));

        SecAggProtocolException e = assertThrows(SecAggProtocolException.class, () -> client(1).unmask(greedy));
        assertTrue(e.getMessage().contains("both survivor and dropped"), e.getMessage());
        assertEquals(SecAggStage.FAILED, client(1).stage());
    }

    @Test
    void unmask_requestOmittingANeighbour_refused() {
        allSendMaskedInputs();
        int v = GRAPH.neighbours(1)[1];
        UnmaskRequest partial = new UnmaskRequest(allBut(v), set());

        assertThrows(SecAggProtocolException.class, () -> client(1).unmask(partial));
        assertEquals(SecAggStage.FAILED, client(1).stage());
    }

    @Test
    void unmask_requestNamingAnIdOutsideTheRound_refused() {
        allSendMaskedInputs();
        SortedSet<Integer> survivors = allBut();
        survivors.add(13); // n = 12

        SecAggProtocolException e = assertThrows(SecAggProtocolException.class,
                () -> client(1).unmask(new UnmaskRequest(survivors, set())));
        assertTrue(e.getMessage().contains("must be a client id in [1, 12], got 13"), e.getMessage());
        assertEquals(SecAggStage.FAILED, client(1).stage());
    }

    @Test
    void unmask_tooFewSurvivorsInNeighbourhood_refused() {
        allSendMaskedInputs();
        int[] nb = GRAPH.neighbours(1);
        // Claims 3 of client 1's 4 neighbours dropped: 1 + 1 surviving holders < t, yet |U3| = 9 ≥ t.
        UnmaskRequest request = new UnmaskRequest(allBut(nb[0], nb[1], nb[2]), set(nb[0], nb[1], nb[2]));

        SecAggProtocolException e = assertThrows(SecAggProtocolException.class, () -> client(1).unmask(request));
        assertTrue(e.getMessage().contains("U3 ∩ neighbourhood of 1"), e.getMessage());
    }

    @Test
    void unmaskResponse_withShareOfANonNeighbour_refusedByServer() {
        allSendMaskedInputs();
        UnmaskRequest request = server.closeMaskedInput().orElseThrow();
        UnmaskResponse honest = client(1).unmask(request);
        Map<Integer, byte[]> b = new TreeMap<>(honest.selfMaskShares());
        b.put(nonNeighbourOf(1), new byte[PrimeFieldShamir.SHARE_BYTES]);

        SecAggProtocolException e = assertThrows(SecAggProtocolException.class,
                () -> server.acceptUnmaskResponse(new UnmaskResponse(1, b, honest.keyShares())));
        assertTrue(e.getMessage().contains("within its neighbourhood"), e.getMessage());
        server.acceptUnmaskResponse(honest);
    }

    /**
     * The attack on one client v: the server tells some of v's holders that v survived (getting b_v shares) and
     * the others that it dropped (getting s_v shares). Each honest holder reveals one of the two, and with
     * t &gt; (k + 1)/2 no split of v's k + 1 = 5 holders gives t = 3 of both: the key stays hidden.
     */
    @Test
    void splitRequests_serverGetsAtMostOneOfBothSecretsOfAClient() {
        allSendMaskedInputs();
        int v = 1;
        int[] holders = IntStream.concat(IntStream.of(v), Arrays.stream(GRAPH.neighbours(v))).toArray();
        UnmaskRequest survived = new UnmaskRequest(allBut(), set());
        UnmaskRequest dropped = new UnmaskRequest(allBut(v), set(v));
        List<byte[]> bShares = new ArrayList<>();
        List<Integer> bXs = new ArrayList<>();
        List<byte[]> keyShares = new ArrayList<>();
        List<Integer> keyXs = new ArrayList<>();
        for (int i = 0; i < holders.length; i++) {
            int h = holders[i];
            if (i < 3) {
                bShares.add(client(h).unmask(survived).selfMaskShares().get(v));
                bXs.add(h);
            } else {
                UnmaskResponse r = client(h).unmask(dropped);
                assertFalse(r.selfMaskShares().containsKey(v));
                keyShares.add(r.keyShares().get(v));
                keyXs.add(h);
            }
        }
        assertEquals(3, bShares.size());
        assertEquals(2, keyShares.size()); // < t: a degree-2 polynomial is not fixed by two points
        byte[] guess;
        try {
            guess = PrimeFieldShamir.combine(PrimeFieldShamir.lagrangeAtZero(keyXs.stream().mapToInt(Integer::intValue)
                    .toArray()), keyShares.toArray(new byte[0][]));
        } catch (SecAggProtocolException notASecret) {
            return; // the interpolated value is not even 32 bytes
        }
        byte[] advertised = server.rosterFor(v).keys().get(v).maskPublicKey();
        assertFalse(Arrays.equals(advertised, new X25519PrivateKeyParameters(guess).generatePublicKey().getEncoded()));
    }
}
