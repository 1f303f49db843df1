package io.metafed.security.secagg;

import io.metafed.security.secagg.SecAggMessages.EncryptedShare;
import io.metafed.security.secagg.SecAggMessages.KeyAdvertisement;
import io.metafed.security.secagg.SecAggMessages.KeyRoster;
import io.metafed.security.secagg.SecAggMessages.MaskedInput;
import io.metafed.security.secagg.SecAggMessages.ShareInbox;
import io.metafed.security.secagg.SecAggMessages.ShareUpload;
import io.metafed.security.secagg.SecAggMessages.UnmaskRequest;
import io.metafed.security.secagg.SecAggMessages.UnmaskResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The server's side of a round: relays keys and sealed shares, sums masked inputs, and removes the
 * masks from t shares per client. Each {@code accept*} takes one client's message for the current
 * stage (malformed or duplicate → {@link SecAggProtocolException}, message dropped, stage kept);
 * each {@code close*} ends the stage, returning the next broadcast, or empty after moving to FAILED
 * when fewer than t clients answered. The server never learns an individual x_u: for each survivor
 * it reconstructs only b_u, for each dropped client only s_u. Keys, shares and masks follow the round's
 * {@link NeighbourGraph} (complete: Bonawitz et al.; sparse: SecAgg+, where the threshold t applies to every
 * client's neighbourhood). Not thread-safe.
 */
public final class SecAggServer {
    private final SecAggConfig config;
    private final NeighbourGraph graph;
    private SecAggStage stage = SecAggStage.ADVERTISE_KEYS;
    private String failure;
    private final SortedMap<Integer, KeyAdvertisement> u1 = new TreeMap<>();
    private final SortedMap<Integer, ShareUpload> u2 = new TreeMap<>();
    private final SortedSet<Integer> u3 = new TreeSet<>();
    private final SortedMap<Integer, UnmaskResponse> u4 = new TreeMap<>();
    private final boolean consistencyCheck;
    /** Survivors' signatures of U3 in the consistency check; who may answer the unmasking when it is on. */
    private final SortedMap<Integer, byte[]> consistency = new TreeMap<>();
    private int[] maskedSum;
    private int reconstructions;

    public SecAggServer(SecAggConfig config) {
        this(config, false);
    }

    /**
     * @param consistencyCheck run the active-adversary variant's consistency check between the masked inputs and
     *                         the unmasking ({@link SecAggStage#CONSISTENCY_CHECK}, {@link SecAggSignatures}): the
     *                         server relays the survivors' signatures of U3 and takes unmask responses only from
     *                         devices that signed
     */
    public SecAggServer(SecAggConfig config, boolean consistencyCheck) {
        this.config = config;
        this.consistencyCheck = consistencyCheck;
        this.graph = NeighbourGraph.of(config);
    }

    /** The round's neighbour graph, as every client derives it. */
    public NeighbourGraph graph() {
        return graph;
    }

    public SecAggStage stage() {
        return stage;
    }

    /** Why the round FAILED, if it did. */
    public Optional<String> failureReason() {
        return Optional.ofNullable(failure);
    }

    public void acceptKeys(KeyAdvertisement keys) {
        expect(SecAggStage.ADVERTISE_KEYS);
        config.requireClientId("clientId", keys.clientId());
        requireNew(u1.containsKey(keys.clientId()), keys.clientId());
        u1.put(keys.clientId(), keys);
    }

    public Optional<KeyRoster> closeKeyAdvertisement() {
        expect(SecAggStage.ADVERTISE_KEYS);
        return advance(u1.size(), "U1 (key advertisers)", SecAggStage.SHARE_KEYS).map(ok -> new KeyRoster(u1));
    }

    /**
     * The part of the roster (U1) that client u needs: itself and its neighbours. With a sparse graph this is what
     * the server sends each client instead of the whole roster; valid once the key stage closed.
     */
    public KeyRoster rosterFor(int u) {
        if (stage == SecAggStage.ADVERTISE_KEYS || !u1.containsKey(u)) {
            throw new IllegalStateException("rosterFor(" + u + "): needs a closed key stage and u in U1 " + u1.keySet());
        }
        SortedMap<Integer, KeyAdvertisement> part = new TreeMap<>();
        u1.forEach((v, keys) -> {
            if (v == u || graph.adjacent(u, v)) {
                part.put(v, keys);
            }
        });
        return new KeyRoster(part);
    }

    /** Takes u's sealed shares: exactly one for every neighbour of u in U1. */
    public void acceptShares(ShareUpload upload) {
        expect(SecAggStage.SHARE_KEYS);
        int u = upload.clientId();
        if (!u1.containsKey(u)) {
            throw new SecAggProtocolException("share upload: client " + u + " did not advertise keys");
        }
        requireNew(u2.containsKey(u), u);
        Set<Integer> to = new HashSet<>();
        for (EncryptedShare s : upload.shares()) {
            if (s.from() != u || s.to() == u || !u1.containsKey(s.to()) || !graph.adjacent(u, s.to()) || !to.add(s.to())) {
                throw new SecAggProtocolException("share upload of " + u + ": bad share " + s.from() + " → " + s.to());
            }
        }
        int expected = (int) u1.keySet().stream().filter(v -> graph.adjacent(u, v)).count();
        if (to.size() != expected) {
            throw new SecAggProtocolException("share upload of " + u + ": " + to.size() + " shares, need " + expected
                    + " (its neighbours in U1)");
        }
        u2.put(u, upload);
    }

    /** Routes each sealed share of a U2 member to its recipient in U2 (shares to dropped clients are discarded). */
    public Optional<Map<Integer, ShareInbox>> closeShareKeys() {
        expect(SecAggStage.SHARE_KEYS);
        return advance(u2.size(), "U2 (share senders)", SecAggStage.MASKED_INPUT).map(ok -> {
            Map<Integer, List<EncryptedShare>> boxes = new TreeMap<>();
            u2.keySet().forEach(v -> boxes.put(v, new ArrayList<>()));
            u2.values().forEach(up -> up.shares().forEach(s -> {
                List<EncryptedShare> box = boxes.get(s.to());
                if (box != null) {
                    box.add(s);
                }
            }));
            Map<Integer, ShareInbox> out = new TreeMap<>();
            boxes.forEach((v, shares) -> out.put(v, new ShareInbox(v, shares)));
            return out;
        });
    }

    /** Adds y_u into the running masked sum (so memory stays O(d), not O(n·d)). */
    public void acceptMaskedInput(MaskedInput input) {
        expect(SecAggStage.MASKED_INPUT);
        int u = input.clientId();
        if (!u2.containsKey(u)) {
            throw new SecAggProtocolException("masked input: client " + u + " is not in U2");
        }
        requireNew(u3.contains(u), u);
        int[] y = input.maskedVector();
        if (y.length != config.dimension()) {
            throw new SecAggProtocolException("masked input of " + u + ": length " + y.length + ", dimension " + config.dimension());
        }
        if (maskedSum == null) {
            maskedSum = new int[y.length];
        }
        for (int i = 0; i < y.length; i++) {
            maskedSum[i] += y[i];
        }
        u3.add(u);
    }

    public Optional<UnmaskRequest> closeMaskedInput() {
        expect(SecAggStage.MASKED_INPUT);
        SortedSet<Integer> dropped = new TreeSet<>(u2.keySet());
        dropped.removeAll(u3);
        Optional<UnmaskRequest> request = advance(u3.size(), "U3 (masked-input senders)",
                consistencyCheck ? SecAggStage.CONSISTENCY_CHECK : SecAggStage.UNMASKING)
                .map(ok -> new UnmaskRequest(u3, dropped));
        if (request.isPresent()) {
            // SecAgg+: a client's secret needs t surviving holders in its own neighbourhood; if some client has
            // fewer, the sum cannot be unmasked, so fail now rather than ask anyone for shares.
            Optional<String> shortfall = shortNeighbourhood(u3);
            if (shortfall.isPresent()) {
                fail(shortfall.get());
                return Optional.empty();
            }
        }
        return request;
    }

    /**
     * The first owner in U2 whose holders among {@code answering} (itself if it survived, its neighbours in U2) are
     * fewer than t, described; empty when every owner can be reconstructed.
     */
    private Optional<String> shortNeighbourhood(java.util.Collection<Integer> answering) {
        if (graph.isComplete()) {
            return Optional.empty(); // every owner's holders are all of {@code answering}, already checked against t
        }
        for (int v : u2.keySet()) {
            int holders = u3.contains(v) && answering.contains(v) ? 1 : 0;
            for (int w : graph.neighbours(v)) {
                if (answering.contains(w) && u2.containsKey(w)) {
                    holders++;
                }
            }
            if (holders < config.threshold()) {
                return Optional.of("neighbourhood of client " + v + " (" + (u3.contains(v) ? "survivor" : "dropped")
                        + "): " + holders + " share holders answer, below threshold t=" + config.threshold());
            }
        }
        return Optional.empty();
    }

    /**
     * Takes survivor u's signature of U3 (opaque here: the devices verify signatures, since a malicious server
     * would not). Only in the consistency check.
     */
    public void acceptConsistencySignature(int u, byte[] signature) {
        expect(SecAggStage.CONSISTENCY_CHECK);
        if (!u3.contains(u)) {
            throw new SecAggProtocolException("consistency signature: client " + u + " is not in U3");
        }
        requireNew(consistency.containsKey(u), u);
        consistency.put(u, signature.clone());
    }

    /**
     * Ends the consistency check: the signatures every survivor checks, or empty (FAILED) below the quorum the
     * devices require ({@link SecAggSignatures#consistencyQuorum}: t, or a majority of n with SecAgg+).
     */
    public Optional<SortedMap<Integer, byte[]>> closeConsistencyCheck() {
        expect(SecAggStage.CONSISTENCY_CHECK);
        return advance(consistency.size(), SecAggSignatures.consistencyQuorum(config), "U4 (consistency signers)",
                SecAggStage.UNMASKING)
                .map(ok -> java.util.Collections.unmodifiableSortedMap(new TreeMap<>(consistency)));
    }

    /** Takes a survivor's shares: b-shares for exactly U3, s-key-shares for exactly U2 \ U3. */
    public void acceptUnmaskResponse(UnmaskResponse response) {
        expect(SecAggStage.UNMASKING);
        int u = response.clientId();
        if (!u3.contains(u)) {
            throw new SecAggProtocolException("unmask response: client " + u + " is not in U3");
        }
        if (consistencyCheck && !consistency.containsKey(u)) {
            throw new SecAggProtocolException("unmask response: client " + u + " did not sign the survivor set");
        }
        requireNew(u4.containsKey(u), u);
        // u holds shares of itself and of its neighbours in U2: b-shares expected for those in U3, key shares for the rest.
        Set<Integer> survivorsHeld = new HashSet<>();
        Set<Integer> droppedHeld = new HashSet<>();
        for (int v : u2.keySet()) {
            if (v == u || graph.adjacent(u, v)) {
                (u3.contains(v) ? survivorsHeld : droppedHeld).add(v);
            }
        }
        if (!response.selfMaskShares().keySet().equals(survivorsHeld) || !response.keyShares().keySet().equals(droppedHeld)) {
            throw new SecAggProtocolException("unmask response of " + u
                    + ": share owners do not match U3 / U2 \\ U3 within its neighbourhood");
        }
        u4.put(u, response);
    }

    /**
     * Ends the round. With fewer than t responses, or some client with fewer than t responding holders in its
     * neighbourhood, it moves to FAILED without reconstructing anything; otherwise it returns Σ_{u∈U3} x_u mod 2^32.
     */
    public Optional<int[]> finish() {
        expect(SecAggStage.UNMASKING);
        if (advance(u4.size(), "U4 (unmask responders)", SecAggStage.UNMASKING).isEmpty()) {
            return Optional.empty();
        }
        Optional<String> shortfall = shortNeighbourhood(u4.keySet());
        if (shortfall.isPresent()) {
            fail(shortfall.get());
            return Optional.empty();
        }
        Unmasker unmasker = new Unmasker(config, graph, u1, u3, u2.keySet(), u4);
        try {
            int[] sum = unmasker.unmask(maskedSum);
            stage = SecAggStage.DONE;
            return Optional.of(sum);
        } catch (SecAggProtocolException e) {
            fail(e.getMessage());
            throw e;
        } finally {
            reconstructions += unmasker.reconstructions();
        }
    }

    /** Number of Shamir reconstructions performed; tests assert it stays 0 when a round fails. */
    int reconstructions() {
        return reconstructions;
    }

    private Optional<Boolean> advance(int size, String set, SecAggStage next) {
        return advance(size, config.threshold(), set, next);
    }

    private Optional<Boolean> advance(int size, int minimum, String set, SecAggStage next) {
        if (size < minimum) {
            fail(set + ": " + size + " clients, below " + (minimum == config.threshold() ? "threshold t=" + minimum
                    : "quorum " + minimum + " (t=" + config.threshold() + ")"));
            return Optional.empty();
        }
        stage = next;
        return Optional.of(Boolean.TRUE);
    }

    private void fail(String reason) {
        stage = SecAggStage.FAILED;
        failure = reason;
        maskedSum = null;
    }

    private static void requireNew(boolean seen, int u) {
        if (seen) {
            throw new SecAggProtocolException("client " + u + " already answered this stage");
        }
    }

    private void expect(SecAggStage expected) {
        if (stage != expected) {
            throw new IllegalStateException("server: call valid in stage " + expected + ", current stage " + stage);
        }
    }
}
