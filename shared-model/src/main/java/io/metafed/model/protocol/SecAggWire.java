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

    /** {@code POST /v1/secagg/keys}: the device's two X25519 public keys (32 bytes each). */
    public record Keys(String encryptionKey, String maskKey) {
    }

    /** One advertiser in the {@link Roster}. */
    public record PeerKeys(int index, String encryptionKey, String maskKey) {
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
