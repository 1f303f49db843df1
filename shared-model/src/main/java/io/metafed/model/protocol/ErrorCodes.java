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

    private ErrorCodes() {
    }
}
