package io.metafed.security.secagg;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The protocol's messages, transport-agnostic. {@code wireBytes()} is the size under the obvious
 * fixed-width encoding (ids 4 bytes, keys 32, share values 33, ciphertexts 94, vector words 4,
 * collections prefixed by a 4-byte count); it drives the simulation's traffic accounting.
 */
public final class SecAggMessages {
    /** Bytes of an X25519 public key in a {@link KeyAdvertisement}. */
    public static final int PUBLIC_KEY_BYTES = Kdf.KEY_BYTES;
    /** Bytes of an {@link EncryptedShare}'s ciphertext (nonce, two sealed shares, tag). */
    public static final int CIPHERTEXT_BYTES = ShareCipher.CIPHERTEXT_BYTES;
    /** Bytes of one Shamir share in an {@link UnmaskResponse}. */
    public static final int SHARE_BYTES = PrimeFieldShamir.SHARE_BYTES;

    private SecAggMessages() {}

    /** Round 0, client → server (and relayed to all): the two X25519 public keys of a client. */
    public record KeyAdvertisement(int clientId, byte[] encryptionPublicKey, byte[] maskPublicKey) {
        public KeyAdvertisement {
            encryptionPublicKey = key("encryptionPublicKey", encryptionPublicKey);
            maskPublicKey = key("maskPublicKey", maskPublicKey);
        }

        public int wireBytes() {
            return Integer.BYTES + 2 * Kdf.KEY_BYTES;
        }
    }

    /** Round 0, server → each client: every advertisement received (the set U1). */
    public record KeyRoster(SortedMap<Integer, KeyAdvertisement> keys) {
        public KeyRoster {
            keys = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(keys));
        }

        public int wireBytes() {
            return Integer.BYTES + keys.size() * (Integer.BYTES + 2 * Kdf.KEY_BYTES);
        }
    }

    /** Round 1: u's shares for v, sealed under the (u, v) share key. */
    public record EncryptedShare(int from, int to, byte[] ciphertext) {
        public EncryptedShare {
            ciphertext = ciphertext.clone();
        }

        public int wireBytes() {
            return 2 * Integer.BYTES + ciphertext.length;
        }
    }

    /** Round 1, client → server: one sealed share pair per other member of U1. */
    public record ShareUpload(int clientId, List<EncryptedShare> shares) {
        public ShareUpload {
            shares = List.copyOf(shares);
        }

        public int wireBytes() {
            return 2 * Integer.BYTES + shares.stream().mapToInt(EncryptedShare::wireBytes).sum();
        }
    }

    /** Round 1, server → v: the shares addressed to v; their senders (plus v) form U2. */
    public record ShareInbox(int recipient, List<EncryptedShare> shares) {
        public ShareInbox {
            shares = List.copyOf(shares);
        }

        public int wireBytes() {
            return 2 * Integer.BYTES + shares.stream().mapToInt(EncryptedShare::wireBytes).sum();
        }
    }

    /** Round 2, client → server: y_u, d words mod 2^32. */
    public record MaskedInput(int clientId, int[] maskedVector) {
        public MaskedInput {
            maskedVector = maskedVector.clone();
        }

        @Override
        public int[] maskedVector() {
            return maskedVector.clone();
        }

        public int wireBytes() {
            return 2 * Integer.BYTES + Integer.BYTES * maskedVector.length;
        }
    }

    /** Round 3, server → each survivor: U3 (sent y) and U2 \ U3 (shared keys, then dropped). */
    public record UnmaskRequest(SortedSet<Integer> survivors, SortedSet<Integer> dropped) {
        public UnmaskRequest {
            survivors = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(survivors));
            dropped = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(dropped));
        }

        public int wireBytes() {
            return Integer.BYTES * (2 + survivors.size() + dropped.size());
        }
    }

    /** Round 3, client → server: b-shares keyed by survivor, s-key-shares keyed by dropped client. */
    public record UnmaskResponse(int clientId, Map<Integer, byte[]> selfMaskShares, Map<Integer, byte[]> keyShares) {
        public UnmaskResponse {
            selfMaskShares = Map.copyOf(selfMaskShares);
            keyShares = Map.copyOf(keyShares);
        }

        public int wireBytes() {
            int entry = Integer.BYTES + PrimeFieldShamir.SHARE_BYTES;
            return 3 * Integer.BYTES + entry * (selfMaskShares.size() + keyShares.size());
        }
    }

    private static byte[] key(String param, byte[] key) {
        if (key == null || key.length != Kdf.KEY_BYTES) {
            throw new IllegalArgumentException(param + ": must be " + Kdf.KEY_BYTES + " bytes, got "
                    + (key == null ? "null" : key.length));
        }
        return Arrays.copyOf(key, key.length);
    }
}
