package io.metafed.sdk.transport;

import io.metafed.model.protocol.TaskResponse;
import io.metafed.security.secagg.SecAggMessages.KeyAdvertisement;
import io.metafed.security.secagg.SecAggMessages.KeyRoster;
import io.metafed.security.secagg.SecAggMessages.MaskedInput;
import io.metafed.security.secagg.SecAggMessages.ShareInbox;
import io.metafed.security.secagg.SecAggMessages.ShareUpload;
import io.metafed.security.secagg.SecAggMessages.UnmaskRequest;
import io.metafed.security.secagg.SecAggMessages.UnmaskResponse;
import io.metafed.security.secagg.SecAggSignatures.SignedRoster;
import io.metafed.security.signature.Ed25519KeyPair;
import java.util.Map;
import java.util.Optional;

/**
 * The four stages of a securely aggregated round (docs/PROTOCOL.md, "Secure aggregation") for a transport that
 * offers them; kept apart from {@link CoordinatorTransport} so plain transports stay small. Sends are idempotent
 * (a repeat of an accepted message is accepted again), so transports may retry them. The waits return empty
 * while the stage they need is still open (after a bounded server-side wait); callers ask again. Failures are
 * {@link TransportException}s, e.g. {@code secagg_failed} once the round failed or {@code secagg_wrong_stage}
 * when this client missed a stage and so left the round.
 */
public interface SecureAggregationChannel {
    void advertiseKeys(String clientId, TaskResponse task, KeyAdvertisement keys);

    Optional<KeyRoster> roster(String clientId, TaskResponse task);

    void sendShares(String clientId, TaskResponse task, ShareUpload shares);

    Optional<ShareInbox> inbox(String clientId, TaskResponse task);

    void sendMaskedInput(String clientId, TaskResponse task, MaskedInput input);

    Optional<UnmaskRequest> unmaskRequest(String clientId, TaskResponse task);

    void sendUnmask(String clientId, TaskResponse task, UnmaskResponse response);

    // The active-adversary variant (signed rounds, docs/SECURE-AGGREGATION.md "Malicious server"). The defaults
    // serve channels without it: they take part in unsigned rounds only.

    /** The device's Ed25519 identity key (the one it enrolled with); empty when the transport has none. */
    default Optional<Ed25519KeyPair> identity(String clientId) {
        return Optional.empty();
    }

    /** Round 0 with the advertisement's identity signature; null signature: an unsigned round. */
    default void advertiseKeys(String clientId, TaskResponse task, KeyAdvertisement keys, byte[] signature) {
        if (signature != null) {
            throw unsupported(task);
        }
        advertiseKeys(clientId, task, keys);
    }

    /** The roster with each entry's signed identity (none in unsigned rounds). */
    default Optional<SignedRoster> signedRoster(String clientId, TaskResponse task) {
        return roster(clientId, task).map(r -> new SignedRoster(r, Map.of()));
    }

    /** The consistency check: this survivor's signature of the survivor set. */
    default void sendConsistency(String clientId, TaskResponse task, byte[] signature) {
        throw unsupported(task);
    }

    /** Every survivor's signature of the survivor set, by index, once the consistency check closed. */
    default Optional<Map<Integer, byte[]>> survivorSignatures(String clientId, TaskResponse task) {
        throw unsupported(task);
    }

    private static TransportException unsupported(TaskResponse task) {
        return TransportException.refused(0, "secagg_unsupported", "round " + task.roundId() + " is signed, but this"
                + " secure-aggregation channel has no signed messages");
    }
}
