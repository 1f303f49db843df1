package io.metafed.security.secagg;

/**
 * A peer or relayed message broke the protocol (failed authentication, inconsistent sets, a request
 * that would reveal both masks of one client). The party that throws it has moved to FAILED.
 */
public final class SecAggProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SecAggProtocolException(String message) {
        super(message);
    }

    public SecAggProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
