package io.metafed.model.protocol;

import java.util.List;

/**
 * JSON bodies of the secure-aggregation routes (docs/PROTOCOL.md, "Secure aggregation"). Keys, ciphertexts and
 * shares are standard base64; indexes are the protocol's client indexes 1..n from {@link SecureAggregationTask}.
 * Every request names the device and the round in its query ({@code ?client=ID&round=R}), which signed requests
 * cover; the masked input is binary ({@link MaskedInputFormat}).
 */
public final class SecAggWire {
    private SecAggWire() {
    }

    /**
     * {@code POST /v1/secagg/keys}: the device's two X25519 public keys (32 bytes each) and, in a signed round, its
     * Ed25519 identity signature of them (64 bytes; see SecAggSignatures.keysMessage); null in unsigned rounds.
     */
    public record Keys(String encryptionKey, String maskKey, String signature) {
        public Keys(String encryptionKey, String maskKey) {
            this(encryptionKey, maskKey, null);
        }
    }

    /**
     * One advertiser in the {@link Roster}; in a signed round also its client id, its enrolled Ed25519 identity
     * key and its signature of the keys, which every peer verifies (null in unsigned rounds).
     */
    public record PeerKeys(int index, String encryptionKey, String maskKey, String clientId, String identityKey,
            String signature) {
        public PeerKeys(int index, String encryptionKey, String maskKey) {
            this(index, encryptionKey, maskKey, null, null, null);
        }
    }

    /** {@code POST /v1/secagg/consistency}: the survivor's identity signature of the survivor set U3. */
    public record Consistency(String signature) {
    }

    /** One survivor's signature in {@link Signatures}. */
    public record IndexedSignature(int index, String signature) {
    }

    /** {@code GET /v1/secagg/signatures}: the survivors' signatures of U3, checked by each before unmasking. */
    public record Signatures(int roundId, List<IndexedSignature> signatures) {
    }

    /** {@code GET /v1/secagg/roster}: every advertisement the key stage accepted (U1). */
    public record Roster(int roundId, List<PeerKeys> keys) {
    }

    /** A sealed share pair: {@code peer} is the recipient in an upload and the sender in an inbox. */
    public record Sealed(int peer, String ciphertext) {
    }

    /** {@code POST /v1/secagg/shares}: one sealed share pair per other member of U1. */
    public record Shares(List<Sealed> shares) {
    }

    /** {@code GET /v1/secagg/inbox}: the shares addressed to the device from the other members of U2. */
    public record Inbox(int roundId, List<Sealed> shares) {
    }

    /** {@code GET /v1/secagg/unmask-request}: who sent a masked input (U3) and who dropped after sharing. */
    public record UnmaskRequest(int roundId, List<Integer> survivors, List<Integer> dropped) {
    }

    /** One Shamir share (33 bytes) of {@code owner}'s secret. */
    public record OwnedShare(int owner, String share) {
    }

    /** {@code POST /v1/secagg/unmask}: b-shares of the survivors, s-key shares of the dropped. */
    public record Unmask(List<OwnedShare> selfMaskShares, List<OwnedShare> keyShares) {
    }

    /** Answer to every accepted secure-aggregation POST (also to an identical repeat of one). */
    public record Ack(int roundId, String stage, boolean accepted) {
    }
}
