package io.metafed.coordinator.server.handler;

/**
 * A refusal the client should see as {@code status} with JSON {@code {error: code, message}}. Carries no stack
 * trace: it is control flow, thrown per bad request, and never logged as a fault.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;
    private final long retryAfterSeconds;

    public ApiException(int status, String code, String message) {
        this(status, code, message, 0);
    }

    /** @param retryAfterSeconds sent as {@code Retry-After} when &gt; 0 (e.g. 429 rate limits) */
    public ApiException(int status, String code, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
