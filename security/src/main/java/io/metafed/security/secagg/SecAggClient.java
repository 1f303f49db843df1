package io.metafed.security.secagg;

import io.metafed.security.secagg.SecAggMessages.EncryptedShare;
import io.metafed.security.secagg.SecAggMessages.KeyAdvertisement;
import io.metafed.security.secagg.SecAggMessages.KeyRoster;
import io.metafed.security.secagg.SecAggMessages.MaskedInput;
import io.metafed.security.secagg.SecAggMessages.ShareInbox;
import io.metafed.security.secagg.SecAggMessages.ShareUpload;
import io.metafed.security.secagg.SecAggMessages.UnmaskRequest;
import io.metafed.security.secagg.SecAggMessages.UnmaskResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * One client's side of a round (Bonawitz et al., CCS 2017, semi-honest variant without signatures), over the
 * round's {@link NeighbourGraph}: keys, shares and pairwise masks only with the client's neighbours (all others
 * with the complete graph; SecAgg+, Bell et al., CCS 2020, with a sparse one).
 * Single use: each method is valid in exactly one stage and advances it; a wrong-stage call throws
 * IllegalStateException, a protocol violation throws {@link SecAggProtocolException} and leaves the
 * client FAILED. Not thread-safe.
 */
public final class SecAggClient {
    private final SecAggConfig config;
    private final int id;
    private final SecureRandom random;
    private final NeighbourGraph graph;
    private SecAggStage stage = SecAggStage.ADVERTISE_KEYS;
    private X25519PrivateKeyParameters encryptionKey;
    private X25519PrivateKeyParameters maskKey;
    private KeyRoster roster;
    private byte[] selfMaskSeed;
    /** Shares held by this client, owner id → {b share, s-secret-key share}; includes its own. */
    private final Map<Integer, byte[][]> held = new HashMap<>();
    /** HKDF(X25519(c_u, c_v)) per peer: symmetric, so round 1 derives it once for both directions. */
    private final Map<Integer, byte[]> pairShareKeys = new HashMap<>();
    private SortedSet<Integer> shareSenders;

    public SecAggClient(SecAggConfig config, int clientId) {
        this(config, clientId, new SecureRandom());
    }

    /** @param random the source of all keys, seeds, polynomials and nonces; tests may pass a seeded one */
    public SecAggClient(SecAggConfig config, int clientId, SecureRandom random) {
        if (!config.isClientId(clientId)) {
            throw new IllegalArgumentException("clientId: must be in [1, " + config.clientCount() + "], got " + clientId);
        }
        this.config = config;
        this.id = clientId;
        this.random = random;
        this.graph = NeighbourGraph.of(config);
    }

    public SecAggStage stage() {
        return stage;
    }

    public int clientId() {
        return id;
    }

    /** Round 0: fresh key pairs c (share encryption) and s (pairwise masks). */
    public KeyAdvertisement advertiseKeys() {
        expect(SecAggStage.ADVERTISE_KEYS);
        encryptionKey = new X25519PrivateKeyParameters(random);
        maskKey = new X25519PrivateKeyParameters(random);
        stage = SecAggStage.SHARE_KEYS;
        return new KeyAdvertisement(id, encryptionKey.generatePublicKey().getEncoded(),
                maskKey.generatePublicKey().getEncoded());
    }

    /**
     * Round 1: t-of-|N(u) ∩ U1| + 1 shares of b_u and of s_u's secret key, one sealed pair per neighbour in U1
     * (roster entries of non-neighbours are ignored: a server may send the whole roster).
     */
    public ShareUpload shareKeys(KeyRoster keys) {
        expect(SecAggStage.SHARE_KEYS);
        guard(() -> checkRoster(keys));
        roster = keys;
        selfMaskSeed = new byte[MaskPrg.SEED_BYTES];
        random.nextBytes(selfMaskSeed);
        int[] xs = keys.keys().keySet().stream().mapToInt(Integer::intValue)
                .filter(this::holdsSharesOf).toArray();
        byte[][] bShares = PrimeFieldShamir.split(selfMaskSeed, config.threshold(), xs, random);
        byte[][] skShares = PrimeFieldShamir.split(maskKey.getEncoded(), config.threshold(), xs, random);
        List<EncryptedShare> out = new ArrayList<>(xs.length - 1);
        for (int k = 0; k < xs.length; k++) {
            int v = xs[k];
            if (v == id) {
                held.put(id, new byte[][] {bShares[k], skShares[k]});
                continue;
            }
            byte[] key = Kdf.agree(encryptionKey, keys.keys().get(v).encryptionPublicKey(), config.roundId(), Kdf.SHARE_KEY);
            pairShareKeys.put(v, key);
            byte[] ad = ShareCipher.associatedData(config.roundId(), id, v);
            out.add(new EncryptedShare(id, v, ShareCipher.seal(key, bShares[k], skShares[k], ad, random)));
        }
        stage = SecAggStage.MASKED_INPUT;
        return new ShareUpload(id, out);
    }

    /**
     * Round 2: opens the shares relayed to this client (their senders and this client are U2) and
     * returns y_u = x_u + PRG(b_u) + Σ_{v∈U2, v&gt;u} PRG(s_uv) − Σ_{v∈U2, v&lt;u} PRG(s_uv) mod 2^32.
     */
    public MaskedInput maskedInput(ShareInbox inbox, int[] input) {
        expect(SecAggStage.MASKED_INPUT);
        if (input.length != config.dimension()) {
            throw new IllegalArgumentException("input: length must be dimension=" + config.dimension() + ", got " + input.length);
        }
        guard(() -> openInbox(inbox));
        int[] y = input.clone();
        MaskPrg.addMask(selfMaskSeed, y, false);
        for (int v : shareSenders) {
            if (v != id) {
                byte[] seed = Kdf.agree(maskKey, roster.keys().get(v).maskPublicKey(), config.roundId(), Kdf.MASK_SEED);
                MaskPrg.addMask(seed, y, v < id);
            }
        }
        // Neither secret is needed again: the server recovers whichever one it may learn from shares.
        Arrays.fill(selfMaskSeed, (byte) 0);
        pairShareKeys.values().forEach(k -> Arrays.fill(k, (byte) 0));
        pairShareKeys.clear();
        encryptionKey = null;
        maskKey = null;
        stage = SecAggStage.UNMASKING;
        return new MaskedInput(id, y);
    }

    /**
     * Round 3: b-shares for the survivors U3 and s-key-shares for U2 \ U3, of the owners whose shares this client
     * holds (itself and its neighbours in U2). Refuses a request that names a client in both sets, or that does not
     * partition the owners it holds: answering it would hand the server both masks of that client, i.e. its input.
     */
    public UnmaskResponse unmask(UnmaskRequest request) {
        expect(SecAggStage.UNMASKING);
        guard(() -> checkUnmaskRequest(request));
        Map<Integer, byte[]> bShares = new HashMap<>();
        Map<Integer, byte[]> skShares = new HashMap<>();
        request.survivors().stream().filter(held::containsKey).forEach(v -> bShares.put(v, held.get(v)[0]));
        request.dropped().stream().filter(held::containsKey).forEach(v -> skShares.put(v, held.get(v)[1]));
        held.clear();
        stage = SecAggStage.DONE;
        return new UnmaskResponse(id, bShares, skShares);
    }

    private void checkRoster(KeyRoster keys) {
        keys.keys().forEach((owner, ad) -> {
            config.requireClientId("roster id", owner);
            if (ad.clientId() != owner) {
                throw new SecAggProtocolException("roster: entry " + owner + " carries keys of client " + ad.clientId());
            }
        });
        KeyAdvertisement mine = keys.keys().get(id);
        if (mine == null || !Arrays.equals(mine.encryptionPublicKey(), encryptionKey.generatePublicKey().getEncoded())
                || !Arrays.equals(mine.maskPublicKey(), maskKey.generatePublicKey().getEncoded())) {
            throw new SecAggProtocolException("roster: does not carry this client's (" + id + ") own keys");
        }
        requireThreshold("U1 (key advertisers)", keys.keys().size());
        long holders = keys.keys().keySet().stream().filter(this::holdsSharesOf).count();
        requireThreshold("U1 ∩ neighbourhood of " + id + " (share holders, itself included)", (int) holders);
    }

    private void openInbox(ShareInbox inbox) {
        if (inbox.recipient() != id) {
            throw new SecAggProtocolException("inbox: addressed to " + inbox.recipient() + ", this client is " + id);
        }
        SortedSet<Integer> senders = new TreeSet<>();
        senders.add(id);
        for (EncryptedShare s : inbox.shares()) {
            if (s.to() != id || s.from() == id || !roster.keys().containsKey(s.from()) || !graph.adjacent(id, s.from())
                    || !senders.add(s.from())) {
                throw new SecAggProtocolException("inbox: unexpected share " + s.from() + " → " + s.to());
            }
            held.put(s.from(), ShareCipher.open(pairShareKeys.get(s.from()), s.ciphertext(), ShareCipher.associatedData(config.roundId(), s.from(), id)));
        }
        requireThreshold("U2 ∩ neighbourhood of " + id + " (share senders, itself included)", senders.size());
        shareSenders = senders;
    }

    private void checkUnmaskRequest(UnmaskRequest request) {
        for (int v : request.survivors()) {
            if (request.dropped().contains(v)) {
                throw new SecAggProtocolException("unmask request: client " + v
                        + " is both survivor and dropped; revealing b_v and s_v together would expose x_v");
            }
        }
        for (int v : request.survivors()) {
            config.requireClientId("unmask request survivor", v);
        }
        for (int v : request.dropped()) {
            config.requireClientId("unmask request dropped client", v);
        }
        // The request names the whole round's sets; this client checks the part it holds shares of.
        SortedSet<Integer> union = new TreeSet<>();
        request.survivors().stream().filter(this::holdsSharesOf).forEach(union::add);
        request.dropped().stream().filter(this::holdsSharesOf).forEach(union::add);
        if (!union.equals(shareSenders) || !request.survivors().contains(id)) {
            throw new SecAggProtocolException("unmask request: (survivors ∪ dropped) ∩ neighbourhood must equal U2 ∩"
                    + " neighbourhood " + shareSenders + " and include " + id + ", got " + request.survivors() + " ∪ "
                    + request.dropped());
        }
        requireThreshold("U3 (masked-input senders)", request.survivors().size());
        long heldSurvivors = request.survivors().stream().filter(held::containsKey).count();
        requireThreshold("U3 ∩ neighbourhood of " + id + " (surviving share holders, itself included)",
                (int) heldSurvivors);
    }

    /** Whether v is this client or one of its neighbours: the owners whose shares it holds (ids out of range: no). */
    private boolean holdsSharesOf(int v) {
        return v == id || config.isClientId(v) && graph.adjacent(id, v);
    }

    private void requireThreshold(String set, int size) {
        if (size < config.threshold()) {
            throw new SecAggProtocolException(set + ": " + size + " clients, below threshold t=" + config.threshold());
        }
    }

    private void expect(SecAggStage expected) {
        if (stage != expected) {
            throw new IllegalStateException("client " + id + ": call valid in stage " + expected + ", current stage " + stage);
        }
    }

    private void guard(Runnable check) {
        try {
            check.run();
        } catch (RuntimeException e) {
            stage = SecAggStage.FAILED;
            throw e;
        }
    }
}
