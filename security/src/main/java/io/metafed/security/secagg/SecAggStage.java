package io.metafed.security.secagg;

/** Where a client or the server stands in a round; each party only moves forward. */
public enum SecAggStage {
    /** Round 0: clients advertise two X25519 public keys. */
    ADVERTISE_KEYS,
    /** Round 1: clients send encrypted Shamir shares of b_u and s_u's secret key to each peer. */
    SHARE_KEYS,
    /** Round 2: clients send y_u = x_u + PRG(b_u) ± Σ PRG(s_uv). */
    MASKED_INPUT,
    /**
     * Round 2½, active-adversary variant only (a server built with the consistency check): each survivor signs
     * the survivor set U3 and checks t signatures of the same set before it reveals anything.
     */
    CONSISTENCY_CHECK,
    /** Round 3: clients reveal b-shares of survivors and s-key-shares of dropped clients. */
    UNMASKING,
    /** The server output the sum (or a client answered the unmasking request). */
    DONE,
    /** Too few parties or a protocol violation; nothing more is sent or reconstructed. */
    FAILED
}
