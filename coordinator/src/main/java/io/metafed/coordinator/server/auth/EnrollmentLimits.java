package io.metafed.coordinator.server.auth;

/**
 * Rate limits of enrollment (docs/SECURITY.md, "Sybil enrollment"): token buckets per source address (every
 * enrollment request counts, so guessing tokens is slow too) and per token (each new device counts). A bucket holds
 * {@code burst} enrollments and refills at {@code burst} per minute. 0 disables a limit.
 *
 * @param perAddress enrollments one source address may make in a burst and per minute
 * @param perToken   new devices one token may enroll in a burst and per minute
 */
public record EnrollmentLimits(int perAddress, int perToken) {
    /** Production defaults: a household or NAT behind one address rarely enrolls 20 devices a minute. */
    public static final EnrollmentLimits DEFAULTS = new EnrollmentLimits(20, 600);
    /** No rate limits: tests and the embedded simulator, which enroll hundreds of devices from loopback. */
    public static final EnrollmentLimits NONE = new EnrollmentLimits(0, 0);

    public EnrollmentLimits {
        if (perAddress < 0 || perToken < 0) {
            throw new IllegalArgumentException("enrollment limits must be >= 0 (0: off), found perAddress="
                    + perAddress + ", perToken=" + perToken);
        }
    }
}
