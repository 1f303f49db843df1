package io.metafed.security.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.security.secagg.SecAggMessages.EncryptedShare;
import io.metafed.security.secagg.SecAggMessages.KeyRoster;
import io.metafed.security.secagg.SecAggMessages.ShareInbox;
import io.metafed.security.secagg.SecAggMessages.UnmaskRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A relaying server that alters, misroutes or over-asks is refused; the refusing client ends FAILED. */
class SecAggTamperTest {
    private static final SecAggConfig CONFIG = new SecAggConfig(4, 3, 16, 77);
    private final List<SecAggClient> clients = new ArrayList<>();
    private SecAggServer server;
    private Map<Integer, ShareInbox> inboxes;

    @BeforeEach
    void runRoundsZeroAndOne() {
        server = new SecAggServer(CONFIG);
        for (int id = 1; id <= CONFIG.clientCount(); id++) {
            SecAggClient c = new SecAggClient(CONFIG, id, TestRandomness.seeded(id));
            clients.add(c);
            server.acceptKeys(c.advertiseKeys());
        }
        KeyRoster roster = server.closeKeyAdvertisement().orElseThrow();
        clients.forEach(c -> server.acceptShares(c.shareKeys(roster)));
        inboxes = server.closeShareKeys().orElseThrow();
    }

    private static ShareInbox replaceFirst(ShareInbox inbox, EncryptedShare replacement) {
        List<EncryptedShare> shares = new ArrayList<>(inbox.shares());
        shares.set(0, replacement);
        return new ShareInbox(inbox.recipient(), shares);
    }

    @Test
    void maskedInput_bitFlippedShareCiphertext_refusedAndClientFails() {
        ShareInbox inbox = inboxes.get(1);
        EncryptedShare s = inbox.shares().get(0);
        byte[] ct = s.ciphertext();
        ct[ShareCipher.NONCE_BYTES + 5] ^= 0x01;
        ShareInbox tampered = replaceFirst(inbox, new EncryptedShare(s.from(), s.to(), ct));

        SecAggProtocolException e = assertThrows(SecAggProtocolException.class,
                () -> clients.get(0).maskedInput(tampered, new int[CONFIG.dimension()]));
        assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
        assertEquals(SecAggStage.FAILED, clients.get(0).stage());
    }

    @Test
    void maskedInput_shareRelabelledAsFromAnotherSender_failsAuthentication() {
        // Client 1 holds shares from 2, 3, 4. Claim the share from 2 came from 3's slot: the AD
        // (and the key) no longer match, so GCM rejects it.
        ShareInbox inbox = inboxes.get(1);
        EncryptedShare s = inbox.shares().get(0);
        List<EncryptedShare> shares = new ArrayList<>(inbox.shares());
        shares.removeIf(x -> x.from() == 3);
        shares.set(0, new EncryptedShare(3, s.to(), s.ciphertext()));
        ShareInbox relabelled = new ShareInbox(1, shares);

        assertThrows(SecAggProtocolException.class, () -> clients.get(0).maskedInput(relabelled, new int[CONFIG.dimension()]));
    }

    @Test
    void open_wrongAssociatedData_rejected() {
        byte[] key = new byte[32];
        byte[] share = new byte[PrimeFieldShamir.SHARE_BYTES];
        byte[] sealed = ShareCipher.seal(key, share, share, ShareCipher.associatedData(77, 1, 2), TestRandomness.seeded(1));

        ShareCipher.open(key, sealed, ShareCipher.associatedData(77, 1, 2)); // the right AD opens
        assertThrows(SecAggProtocolException.class, () -> ShareCipher.open(key, sealed, ShareCipher.associatedData(77, 2, 1)));
        assertThrows(SecAggProtocolException.class, () -> ShareCipher.open(key, sealed, ShareCipher.associatedData(78, 1, 2)));
    }

    @Test
    void unmask_requestNamesClientAsSurvivorAndDropped_refused() {
        for (SecAggClient c : clients) {
            server.acceptMaskedInput(c.maskedInput(inboxes.get(c.clientId()), new int[CONFIG.dimension()]));
        }
        UnmaskRequest greedy = new UnmaskRequest(new TreeSet<>(List.of(1, 2, 3, 4)), new TreeSet<>(List.of(4)));

        SecAggProtocolException e = assertThrows(SecAggProtocolException.class, () -> clients.get(0).unmask(greedy));
        assertTrue(e.getMessage().contains("both survivor and dropped"), e.getMessage());
        assertEquals(SecAggStage.FAILED, clients.get(0).stage());
    }

    @Test
    void unmask_requestNotPartitioningU2_refused() {
        SecAggClient c1 = clients.get(0);
        server.acceptMaskedInput(c1.maskedInput(inboxes.get(1), new int[CONFIG.dimension()]));
        // Omits client 4 entirely: the server would be learning about a set the client never agreed to.
        UnmaskRequest partial = new UnmaskRequest(new TreeSet<>(List.of(1, 2, 3)), new TreeSet<>());

        assertThrows(SecAggProtocolException.class, () -> c1.unmask(partial));
    }

    @Test
    void stages_outOfOrderCalls_throwIllegalState() {
        SecAggClient c1 = clients.get(0);
        assertThrows(IllegalStateException.class, c1::advertiseKeys); // reuse refused
        assertThrows(IllegalStateException.class, () -> c1.unmask(new UnmaskRequest(new TreeSet<>(), new TreeSet<>())));
        assertThrows(IllegalStateException.class, server::closeKeyAdvertisement);
        assertThrows(IllegalStateException.class, server::finish);
        SecAggClient fresh = new SecAggClient(CONFIG, 1, TestRandomness.seeded(5));
        assertThrows(IllegalStateException.class, () -> fresh.maskedInput(inboxes.get(1), new int[CONFIG.dimension()]));
    }

    @Test
    void server_duplicateOrForeignMessages_refusedWithoutStateChange() {
        SecAggServer s = new SecAggServer(CONFIG);
        SecAggClient c = new SecAggClient(CONFIG, 2, TestRandomness.seeded(2));
        var keys = c.advertiseKeys();
        s.acceptKeys(keys);
        assertThrows(SecAggProtocolException.class, () -> s.acceptKeys(keys));
        assertEquals(SecAggStage.ADVERTISE_KEYS, s.stage());
        assertTrue(s.closeKeyAdvertisement().isEmpty()); // 1 < t = 3
        assertEquals(SecAggStage.FAILED, s.stage());
        assertTrue(s.failureReason().orElseThrow().contains("below threshold"));
    }

    @Test
    void config_invalidThreshold_rejectedNamingParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SecAggConfig(5, 6, 10, 1));
        assertTrue(e.getMessage().startsWith("threshold:"), e.getMessage());
    }
}
