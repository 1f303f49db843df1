package io.metafed.coordinator.server.secagg;

import io.metafed.model.protocol.SecAggWire;
import io.metafed.security.secagg.SecAggMessages.KeyRoster;
import io.metafed.security.secagg.SecAggMessages.ShareInbox;
import io.metafed.security.secagg.SecAggMessages.UnmaskRequest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import io.metafed.security.secagg.SecAggSignatures;

/** Protocol broadcasts → the JSON bodies of the secure-aggregation GETs ({@link SecAggWire}). */
public final class SecAggEncoder {
    private static final Base64.Encoder B64 = Base64.getEncoder();

    private SecAggEncoder() {
    }

    /** @param identities index → signed identity, in signed rounds; empty in unsigned ones */
    public static SecAggWire.Roster roster(int roundId, KeyRoster roster,
            Map<Integer, SecAggSignatures.PeerIdentity> identities) {
        List<SecAggWire.PeerKeys> keys = new ArrayList<>(roster.keys().size());
        roster.keys().forEach((i, ad) -> {
            SecAggSignatures.PeerIdentity who = identities.get(i);
            keys.add(new SecAggWire.PeerKeys(i, B64.encodeToString(ad.encryptionPublicKey()),
                    B64.encodeToString(ad.maskPublicKey()), who == null ? null : who.clientId(),
                    who == null ? null : who.identityKey().toBase64(),
                    who == null ? null : B64.encodeToString(who.signature())));
        });
        return new SecAggWire.Roster(roundId, keys);
    }

    public static SecAggWire.Signatures signatures(int roundId, Map<Integer, byte[]> signatures) {
        List<SecAggWire.IndexedSignature> out = new ArrayList<>(signatures.size());
        new java.util.TreeMap<>(signatures).forEach((i, s) -> out.add(new SecAggWire.IndexedSignature(i,
                B64.encodeToString(s))));
        return new SecAggWire.Signatures(roundId, out);
    }

    public static SecAggWire.Inbox inbox(int roundId, ShareInbox inbox) {
        List<SecAggWire.Sealed> shares = new ArrayList<>(inbox.shares().size());
        inbox.shares().forEach(s -> shares.add(new SecAggWire.Sealed(s.from(), B64.encodeToString(s.ciphertext()))));
        return new SecAggWire.Inbox(roundId, shares);
    }

    public static SecAggWire.UnmaskRequest unmaskRequest(int roundId, UnmaskRequest request) {
        return new SecAggWire.UnmaskRequest(roundId, List.copyOf(request.survivors()),
                List.copyOf(request.dropped()));
    }
}
