package io.metafed.sdk.transport;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A coordinator call that did not succeed. {@link #kind()} tells the caller what to do about it:
 * <ul>
 *   <li>{@link Kind#UNAVAILABLE}: the coordinator could not be reached or was overloaded (I/O error, timeout,
 *   5xx, 408, 429) and the transport's retries ran out; the same call may succeed later.</li>
 *   <li>{@link Kind#REFUSED}: the coordinator (or the transport, before sending) rejected the request, e.g.
 *   {@code stale_round}, {@code not_selected}, a model of another layout ({@code layout_mismatch}), an
 *   untrusted TLS certificate ({@code untrusted_certificate}); repeating it will not help.</li>
 *   <li>{@link Kind#BAD_RESPONSE}: the coordinator answered something that breaks the protocol (corrupt weight
 *   file, unparsable JSON); a server or network-middlebox fault.</li>
 * </ul>
 * {@link #status()} and {@link #errorCode()} are present when an HTTP answer carried them; an in-process
 * transport reports the same codes without a status.
 */
public class TransportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure, and so whether retrying later can help. */
    public enum Kind {
        UNAVAILABLE,
        REFUSED,
        BAD_RESPONSE
    }

    private final Kind kind;
    private final int status;
    private final String errorCode;

    public TransportException(Kind kind, int status, String errorCode, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        if (status != 0 && (status < 100 || status > 599)) {
            throw new IllegalArgumentException("status must be 0 (none) or in [100, 599], found " + status);
        }
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The request was refused with {@code errorCode} (a protocol code such as {@code stale_round}). */
    public static TransportException refused(int status, String errorCode, String message) {
        return refused(status, errorCode, message, null);
    }

    public static TransportException refused(int status, String errorCode, String message, Throwable cause) {
        return new TransportException(Kind.REFUSED, status, errorCode, message, cause);
    }

    /** The coordinator could not be reached or stayed overloaded; {@code cause} is the last failure, if any. */
    public static TransportException unavailable(int status, String errorCode, String message, Throwable cause) {
        return new TransportException(Kind.UNAVAILABLE, status, errorCode, message, cause);
    }

    /** The coordinator's answer broke the protocol. */
    public static TransportException badResponse(int status, String message, Throwable cause) {
        return new TransportException(Kind.BAD_RESPONSE, status, null, message, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** True when only {@link Kind#UNAVAILABLE}: the same call may succeed later. */
    public boolean retryable() {
        return kind == Kind.UNAVAILABLE;
    }

    /** The HTTP status of the last answer, when there was one. */
    public OptionalInt status() {
        return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /** The protocol's error code ({@code ErrorResponse.error}), when the coordinator gave one. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }
}
