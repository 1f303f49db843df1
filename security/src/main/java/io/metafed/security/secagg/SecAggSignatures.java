package io.metafed.security.secagg;

import io.metafed.security.secagg.SecAggMessages.KeyAdvertisement;
import io.metafed.security.secagg.SecAggMessages.KeyRoster;
import io.metafed.security.signature.Ed25519KeyPair;
import io.metafed.security.signature.Ed25519PublicKey;
import io.metafed.security.signature.Ed25519Verifier;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;

/**
 * The active-adversary additions of Bonawitz et al. (CCS 2017, §4.2 and Fig. 4) with the devices' Ed25519 identity
 * keys (docs/SECURE-AGGREGATION.md, "Malicious server"): each device signs its round-0 key advertisement, so a
 * server relaying the roster cannot swap an enrolled device's keys for its own; and before revealing any share,
 * each survivor signs the survivor set U3 it was told and checks that at least t members of U3 signed the very same
 * set, so a server cannot tell some devices that u dropped (to get u's mask key shares) and others that it survived
 * (to get its self-mask shares). Signed messages are domain-separated and bind the round id, n and t (and with
 * SecAgg+ the neighbour count k and graph seed, under their own domains), so a signature of one round, stage or graph
 * is worthless in another.
 *
 * <p>With SecAgg+ the per-neighbourhood t can be far below n/2, so t signatures no longer rule out two survivor sets
 * each signed by t honest devices; the check then asks for {@link #consistencyQuorum} = max(t, ⌊n/2⌋ + 1)
 * signatures of the same U3, the majority Bonawitz's t gives with the complete graph: honest devices that reveal
 * anything then all saw one U3, so each honest holder of a client's shares reveals the same one of its two secrets.
 *
 * <p>Trust assumption: the identity key the roster names for a client id is the one that client enrolled with. The
 * paper assumes a PKI the server does not control; here the coordinator's enrollment registry plays that part, so a
 * server malicious from enrollment on could enroll Sybil identities of its own, which is the same power as
 * corrupting those clients — bounded by the threshold t, not prevented.
 */
public final class SecAggSignatures {
    private static final byte[] KEYS_DOMAIN = "metafed-secagg-keys-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SURVIVORS_DOMAIN = "metafed-secagg-survivors-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PLUS_KEYS_DOMAIN = "metafed-secaggplus-keys-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PLUS_SURVIVORS_DOMAIN =
            "metafed-secaggplus-survivors-v1".getBytes(StandardCharsets.US_ASCII);

    /** Who stands behind a roster entry: the client id, its enrolled identity key and its signature of the keys. */
    public record PeerIdentity(String clientId, Ed25519PublicKey identityKey, byte[] signature) {
        public PeerIdentity {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(identityKey, "identityKey");
            signature = Objects.requireNonNull(signature, "signature").clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }
    }

    /** A roster as a signed round's devices receive it: the keys and who signed each entry. */
    public record SignedRoster(KeyRoster roster, Map<Integer, PeerIdentity> identities) {
        public SignedRoster {
            Objects.requireNonNull(roster, "roster");
            identities = Map.copyOf(identities);
        }
    }

    private SecAggSignatures() {
    }

    /** What a device signs in round 0: domain, round, n, t, its index and client id, its two X25519 keys. */
    public static byte[] keysMessage(SecAggConfig config, String clientId, KeyAdvertisement keys) {
        return encode(out -> {
            out.write(config.complete() ? KEYS_DOMAIN : PLUS_KEYS_DOMAIN);
            header(out, config);
            out.writeInt(keys.clientId());
            byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
            out.writeInt(id.length);
            out.write(id);
            out.write(keys.encryptionPublicKey());
            out.write(keys.maskPublicKey());
        });
    }

    /** What a survivor signs before unmasking: domain, round, n, t and the sorted survivor set U3. */
    public static byte[] survivorsMessage(SecAggConfig config, SortedSet<Integer> survivors) {
        return encode(out -> {
            out.write(config.complete() ? SURVIVORS_DOMAIN : PLUS_SURVIVORS_DOMAIN);
            header(out, config);
            out.writeInt(survivors.size());
            for (int v : survivors) {
                out.writeInt(v);
            }
        });
    }

    public static byte[] signKeys(Ed25519KeyPair identity, SecAggConfig config, String clientId,
            KeyAdvertisement keys) {
        return identity.sign(keysMessage(config, clientId, keys));
    }

    public static boolean keysSignatureValid(Ed25519PublicKey identity, SecAggConfig config, String clientId,
            KeyAdvertisement keys, byte[] signature) {
        return new Ed25519Verifier(identity).verify(keysMessage(config, clientId, keys), signature);
    }

    public static byte[] signSurvivors(Ed25519KeyPair identity, SecAggConfig config, SortedSet<Integer> survivors) {
        return identity.sign(survivorsMessage(config, survivors));
    }

    /**
     * A device's check of a signed roster before it shares anything: every entry has an identity, signed by that
     * identity over exactly these keys; no client id or identity key appears twice; and this device's own entry
     * carries its own client id and identity key.
     *
     * @throws SecAggProtocolException naming the first entry that fails
     */
    public static void verifyRoster(SecAggConfig config, KeyRoster roster, Map<Integer, PeerIdentity> identities,
            int myIndex, String myClientId, Ed25519PublicKey myIdentity) {
        Set<String> ids = new HashSet<>();
        Set<Ed25519PublicKey> keys = new HashSet<>();
        for (Map.Entry<Integer, KeyAdvertisement> e : roster.keys().entrySet()) {
            PeerIdentity who = identities.get(e.getKey());
            if (who == null) {
                throw new SecAggProtocolException("roster: entry " + e.getKey() + " carries no signed identity");
            }
            if (!ids.add(who.clientId()) || !keys.add(who.identityKey())) {
                throw new SecAggProtocolException("roster: client " + who.clientId() + " or its identity key "
                        + who.identityKey().fingerprint() + " appears twice");
            }
            if (!keysSignatureValid(who.identityKey(), config, who.clientId(), e.getValue(), who.signature())) {
                throw new SecAggProtocolException("roster: the keys of entry " + e.getKey() + " (client "
                        + who.clientId() + ") are not signed by its identity key " + who.identityKey().fingerprint()
                        + "; the server may have swapped them");
            }
        }
        PeerIdentity mine = identities.get(myIndex);
        if (mine == null || !mine.clientId().equals(myClientId) || !mine.identityKey().equals(myIdentity)) {
            throw new SecAggProtocolException("roster: entry " + myIndex + " does not carry this device's identity "
                    + myClientId + " / " + myIdentity.fingerprint());
        }
    }

    /** Valid signatures of one U3 a device needs before unmasking: t, or with SecAgg+ max(t, ⌊n/2⌋ + 1). */
    public static int consistencyQuorum(SecAggConfig config) {
        return config.complete() ? config.threshold() : Math.max(config.threshold(), config.clientCount() / 2 + 1);
    }

    /**
     * The consistency check: at least {@link #consistencyQuorum} distinct members of {@code survivors} signed {@code survivors} itself, each
     * with the identity key the (verified) roster gave it. Signatures of non-members or invalid ones do not count.
     *
     * @throws SecAggProtocolException when fewer than t valid signatures remain: the server showed devices
     *                                 different survivor sets (or too many vanished); nothing may be revealed
     */
    public static void verifySurvivors(SecAggConfig config, SortedSet<Integer> survivors,
            Map<Integer, byte[]> signatures, Map<Integer, PeerIdentity> identities) {
        byte[] message = survivorsMessage(config, survivors);
        int valid = 0;
        for (Map.Entry<Integer, byte[]> e : signatures.entrySet()) {
            PeerIdentity who = identities.get(e.getKey());
            if (survivors.contains(e.getKey()) && who != null
                    && new Ed25519Verifier(who.identityKey()).verify(message, e.getValue())) {
                valid++;
            }
        }
        int quorum = consistencyQuorum(config);
        if (valid < quorum) {
            throw new SecAggProtocolException("consistency check: only " + valid + " of the " + signatures.size()
                    + " signatures are valid signatures of survivor set " + survivors + " by its members, below"
                    + " the quorum " + quorum + " (t=" + config.threshold() + ", n=" + config.clientCount()
                    + "); the server may be showing devices different survivor sets");
        }
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static void header(DataOutputStream out, SecAggConfig config) throws IOException {
        out.writeLong(config.roundId());
        out.writeInt(config.clientCount());
        out.writeInt(config.threshold());
        if (!config.complete()) {
            out.writeInt(config.neighbours());
            out.writeLong(config.graphSeed());
        }
    }

    private static byte[] encode(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
    }
}
