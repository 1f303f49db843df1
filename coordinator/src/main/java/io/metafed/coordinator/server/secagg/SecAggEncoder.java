package io.metafed.coordinator.server.secagg;

import io.metafed.model.protocol.SecAggWire;
import io.metafed.security.secagg.SecAggMessages.KeyRoster;
import io.metafed.security.secagg.SecAggMessages.ShareInbox;
import io.metafed.security.secagg.SecAggMessages.UnmaskRequest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Protocol broadcasts → the JSON bodies of the secure-aggregation GETs ({@link SecAggWire}). */
public final class SecAggEncoder {
    private static final Base64.Encoder B64 = Base64.getEncoder();

    private SecAggEncoder() {
    }

    public static SecAggWire.Roster roster(int roundId, KeyRoster roster) {
        List<SecAggWire.PeerKeys> keys = new ArrayList<>(roster.keys().size());
        roster.keys().forEach((i, ad) -> keys.add(new SecAggWire.PeerKeys(i, B64.encodeToString(
                ad.encryptionPublicKey()), B64.encodeToString(ad.maskPublicKey()))));
        return new SecAggWire.Roster(roundId, keys);
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
