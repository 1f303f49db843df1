package io.metafed.coordinator.server.secagg;

import io.metafed.coordinator.round.SecureAggregate;
import io.metafed.coordinator.server.codec.Json;
import io.metafed.security.secagg.SecAggMessages.KeyRoster;
import io.metafed.security.secagg.SecAggMessages.ShareInbox;
import io.metafed.security.secagg.SecAggMessages.UnmaskRequest;
import java.util.Map;

/**
 * What each closed stage of a {@link SecureRoundSession} produced; null until the stage closed, and stays null
 * when the round failed there. Guarded by the session's lock. The two broadcasts every client fetches alike, the
 * roster and the unmask request, are also kept as their encoded JSON bodies, made once when the stage closes
 * rather than once per client (n clients would otherwise cost O(n²) encoding).
 */
public final class StageResults {
    private final int roundId;
    private KeyRoster roster;
    private byte[] rosterJson;
    /** Unsigned SecAgg+ rounds: each member's part of the roster (itself and its neighbours); else null. */
    private Map<Integer, byte[]> rosterParts;
    private Map<Integer, ShareInbox> inboxes;
    private UnmaskRequest unmask;
    private byte[] unmaskJson;
    private SecureAggregate aggregate;
    private Map<Integer, byte[]> signatures;
    private byte[] signaturesJson;

    StageResults(int roundId) {
        this.roundId = roundId;
    }

    public KeyRoster roster() {
        return roster;
    }

    /** The body of {@code GET /v1/secagg/roster}, shared by every response: do not modify. */
    public byte[] rosterJson() {
        return rosterJson;
    }

    /**
     * The roster body for member {@code index}: its own part in unsigned SecAgg+ rounds (itself and its
     * neighbours), else the shared whole roster. Do not modify.
     */
    public byte[] rosterJson(int index) {
        return rosterParts == null ? rosterJson : rosterParts.get(index);
    }

    public Map<Integer, ShareInbox> inboxes() {
        return inboxes;
    }

    public UnmaskRequest unmask() {
        return unmask;
    }

    /** The body of {@code GET /v1/secagg/unmask-request}, shared by every response: do not modify. */
    public byte[] unmaskJson() {
        return unmaskJson;
    }

    public SecureAggregate aggregate() {
        return aggregate;
    }

    void roster(KeyRoster value, Map<Integer, io.metafed.security.secagg.SecAggSignatures.PeerIdentity> identities) {
        roster = value;
        rosterJson = value == null ? null : Json.toBytes(SecAggEncoder.roster(roundId, value, identities));
    }

    /** Each member's own roster part (unsigned SecAgg+ rounds), encoded once when the key stage closes. */
    void rosterParts(Map<Integer, KeyRoster> parts) {
        Map<Integer, byte[]> out = new java.util.HashMap<>();
        parts.forEach((i, part) -> out.put(i, Json.toBytes(SecAggEncoder.roster(roundId, part, Map.of()))));
        rosterParts = Map.copyOf(out);
    }

    /** The survivors' signatures of U3, once the consistency check closed (signed rounds). */
    public Map<Integer, byte[]> signatures() {
        return signatures;
    }

    /** The body of {@code GET /v1/secagg/signatures}, shared by every response: do not modify. */
    public byte[] signaturesJson() {
        return signaturesJson;
    }

    void signatures(Map<Integer, byte[]> value) {
        signatures = value;
        signaturesJson = value == null ? null : Json.toBytes(SecAggEncoder.signatures(roundId, value));
    }

    void inboxes(Map<Integer, ShareInbox> value) {
        inboxes = value == null ? null : Map.copyOf(value);
    }

    void unmask(UnmaskRequest value) {
        unmask = value;
        unmaskJson = value == null ? null : Json.toBytes(SecAggEncoder.unmaskRequest(roundId, value));
    }

    void aggregate(SecureAggregate value) {
        aggregate = value;
    }
}
