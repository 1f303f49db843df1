package io.metafed.coordinator.server.auth;

import io.metafed.coordinator.server.handler.ApiException;
import io.metafed.model.protocol.ErrorCodes;
import java.time.Clock;
import java.util.List;

/**
 * What stands between an enrollment request and a new device id (docs/SECURITY.md, "Sybil enrollment"): the source
 * address's rate limit (checked first, before any work), revocation of the device id and of the token, the token's
 * device quota and the token's rate limit. Quota and rate only count new devices: re-enrolling an enrolled key is
 * free and needs no token.
 */
public final class EnrollmentGuard {
    private final EnrollmentTokens tokens;
    private final RateLimiter perAddress;
    private final RateLimiter perToken;
    private final Revocations revocations;

    public EnrollmentGuard(List<EnrollmentToken> tokens, EnrollmentLimits limits, Revocations revocations,
            Clock clock) {
        this.tokens = new EnrollmentTokens(tokens);
        this.perAddress = new RateLimiter(limits.perAddress(), clock);
        this.perToken = new RateLimiter(limits.perToken(), clock);
        this.revocations = revocations;
    }

    /** 429 {@code rate_limited} when {@code address} enrolled too often this minute. */
    public void admitAddress(String address) {
        long wait = perAddress.tryAcquire(address);
        if (wait > 0) {
            throw rateLimited("source address " + address, wait);
        }
    }

    /** 403 {@code revoked} for a revoked device id. */
    public void requireNotRevoked(String clientId) {
        if (revocations.deviceRevoked(clientId)) {
            throw new ApiException(403, ErrorCodes.REVOKED, "client " + clientId + " was revoked by the operator");
        }
    }

    /**
     * The token a new device presents, checked: valid (403 {@code bad_token}), not revoked (403 {@code revoked}),
     * below its quota given {@code enrolledWithIt} devices (403 {@code token_exhausted}), within its rate (429).
     */
    public EnrollmentToken admitToken(String clientId, String presented, boolean given, EnrolledCount enrolled) {
        EnrollmentToken token = tokens.match(presented).orElseThrow(() -> new ApiException(403,
                ErrorCodes.BAD_TOKEN, "enrollment of " + clientId + " needs a valid operator-issued \"token\"; "
                + (given ? "the token given is not accepted" : "none was given")));
        if (revocations.tokenRevoked(token.name())) {
            throw new ApiException(403, ErrorCodes.REVOKED, "enrollment token " + token.name()
                    + " was revoked by the operator");
        }
        int count = enrolled.of(token.name());
        if (count >= token.maxDevices()) {
            throw new ApiException(403, ErrorCodes.TOKEN_EXHAUSTED, "enrollment token " + token.name()
                    + " already enrolled " + count + " of its max=" + token.maxDevices() + " devices");
        }
        long wait = perToken.tryAcquire(token.name());
        if (wait > 0) {
            throw rateLimited("enrollment token " + token.name(), wait);
        }
        return token;
    }

    /** How many devices a token (by name) enrolled so far. */
    @FunctionalInterface
    public interface EnrolledCount {
        int of(String tokenName);
    }

    private static ApiException rateLimited(String who, long waitMillis) {
        long seconds = Math.max(1, (waitMillis + 999) / 1000);
        return new ApiException(429, ErrorCodes.RATE_LIMITED, "too many enrollments from " + who + "; retry in "
                + seconds + " s", seconds);
    }
}
