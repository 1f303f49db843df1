package io.metafed.model.protocol;

/** The stable {@link ErrorResponse#error()} codes of API v1 (docs/PROTOCOL.md says which route answers which). */
public final class ErrorCodes {
    public static final String BAD_REQUEST = "bad_request";
    public static final String BAD_UPDATE = "bad_update";
    public static final String UNKNOWN_CLIENT = "unknown_client";
    public static final String NOT_SELECTED = "not_selected";
    public static final String STALE_ROUND = "stale_round";
    public static final String STALE_MODEL = "stale_model";
    public static final String DUPLICATE_UPDATE = "duplicate_update";
    public static final String TOO_LARGE = "too_large";
    public static final String NOT_FOUND = "not_found";
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    /** 503: the server is overloaded or shutting down; retryable. */
    public static final String UNAVAILABLE = "unavailable";
    public static final String INTERNAL = "internal";
    /** 401: missing or invalid request signature headers, or a signature that does not verify. */
    public static final String BAD_SIGNATURE = "bad_signature";
    /** 401: the request's nonce was already used (or it predates what the server can still check). */
    public static final String REPLAYED_REQUEST = "replayed_request";
    /** 401: the request's timestamp is further than {@link Protocol#MAX_CLOCK_SKEW} from the server's clock. */
    public static final String BAD_TIMESTAMP = "bad_timestamp";
    /** 403: enrollment without a valid operator-issued token. */
    public static final String BAD_TOKEN = "bad_token";
    /** 403: the signing client differs from the client the request or update names. */
    public static final String CLIENT_MISMATCH = "client_mismatch";
    /** 409: the client id is already enrolled with another public key. */
    public static final String KEY_CONFLICT = "key_conflict";
    /** 429: too many enrollments from this source address or with this token; retry after Retry-After seconds. */
    public static final String RATE_LIMITED = "rate_limited";
    /** 403: the enrollment token enrolled as many devices as its {@code max=N} allows (single-use: max=1). */
    public static final String TOKEN_EXHAUSTED = "token_exhausted";
    /** 403: the operator revoked this device (or, on enrollment, its token). */
    public static final String REVOKED = "revoked";
    /** SDK-side: the model's signature is missing (no {@link Protocol#MODEL_SIGNATURE_HEADER}). */
    public static final String UNSIGNED_MODEL = "unsigned_model";

    /** 409: a plain update to a securely aggregated round. */
    public static final String SECAGG_REQUIRED = "secagg_required";
    /** 409: a secure-aggregation message to a round that is not securely aggregated. */
    public static final String SECAGG_NOT_ENABLED = "secagg_not_enabled";
    /** 409: a secure-aggregation message for a stage that is not (or no longer) open, or one the client left. */
    public static final String SECAGG_WRONG_STAGE = "secagg_wrong_stage";
    /** 400: a secure-aggregation message the protocol refuses (wrong peers, lengths, sets). */
    public static final String SECAGG_BAD_MESSAGE = "secagg_bad_message";
    /** 409: the secure-aggregation round failed (too few clients survived a stage). */
    public static final String SECAGG_FAILED = "secagg_failed";

    private ErrorCodes() {
    }
}
