package io.metafed.model.protocol;

/**
 * The coordinator's HTTP API, version 1 (see docs/PROTOCOL.md). Control messages are JSON (UTF-8); tensors
 * travel as weight files ({@link io.metafed.model.format.WeightFile}, {@code application/octet-stream}).
 */
public final class Protocol {
    public static final String PREFIX = "/v1";
    public static final String ENROLL = PREFIX + "/enroll";
    public static final String TASK = PREFIX + "/task";
    public static final String MODEL = PREFIX + "/model";
    public static final String UPDATE = PREFIX + "/update";
    public static final String STATUS = PREFIX + "/status";
    /** The coordinator's model-signing public key ({@link ModelKeyResponse}). */
    public static final String MODEL_KEY = PREFIX + "/model-key";
    public static final String METRICS = "/metrics";
    public static final String HEALTH = "/health";

    /** Secure aggregation (docs/PROTOCOL.md): every route takes {@code ?client=ID&round=R}. */
    public static final String SECAGG_KEYS = PREFIX + "/secagg/keys";
    public static final String SECAGG_ROSTER = PREFIX + "/secagg/roster";
    public static final String SECAGG_SHARES = PREFIX + "/secagg/shares";
    public static final String SECAGG_INBOX = PREFIX + "/secagg/inbox";
    public static final String SECAGG_MASKED = PREFIX + "/secagg/masked";
    public static final String SECAGG_UNMASK_REQUEST = PREFIX + "/secagg/unmask-request";
    public static final String SECAGG_UNMASK = PREFIX + "/secagg/unmask";
    /** Signed rounds only: a survivor's signature of the survivor set (the consistency check). */
    public static final String SECAGG_CONSISTENCY = PREFIX + "/secagg/consistency";
    /** Signed rounds only: every survivor's signature of the survivor set, once the consistency check closed. */
    public static final String SECAGG_SIGNATURES = PREFIX + "/secagg/signatures";
    /** Longest a secure-aggregation GET waits for its stage to close before answering 204 + Retry-After. */
    public static final java.time.Duration SECAGG_MAX_WAIT = java.time.Duration.ofSeconds(10);

    public static final String JSON = "application/json; charset=utf-8";
    public static final String OCTETS = "application/octet-stream";
    /** Response header of {@link #MODEL}: the version of the weights in the body. */
    public static final String MODEL_VERSION_HEADER = "X-Metafed-Model-Version";
    /** Response header of {@link #MODEL}: base64 Ed25519 signature over {@link SignedMessages#model}. */
    public static final String MODEL_SIGNATURE_HEADER = "X-Metafed-Model-Signature";

    /** Request headers of an authenticated client (see {@link CanonicalRequest}). */
    public static final String CLIENT_HEADER = "X-Metafed-Client";
    public static final String NONCE_HEADER = "X-Metafed-Nonce";
    public static final String TIMESTAMP_HEADER = "X-Metafed-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Metafed-Signature";
    /** Random bytes in a request nonce (sent base64). */
    public static final int NONCE_BYTES = 16;
    /** Largest accepted difference between a request's timestamp and the server's clock. */
    public static final java.time.Duration MAX_CLOCK_SKEW = java.time.Duration.ofMinutes(5);

    /** Metadata keys of an update's weight file, which carries Δ = φ − θ in the model's layout. */
    public static final String META_CLIENT = "client.id";
    public static final String META_ROUND = "round.id";
    public static final String META_MODEL_VERSION = "model.version";
    public static final String META_WEIGHT = "weight";

    /** Largest JSON request body the server reads. */
    public static final int MAX_JSON_BYTES = 4 * 1024;

    private Protocol() {
    }
}
