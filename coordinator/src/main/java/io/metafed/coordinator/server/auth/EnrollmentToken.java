package io.metafed.coordinator.server.auth;

import io.metafed.model.protocol.SignedMessages;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One operator-issued enrollment token (docs/SECURITY.md, "Sybil enrollment"). Token file syntax, one per line:
 * {@code <secret> [name=NAME] [max=N]}: {@code max=N} lets the token enroll at most N devices ({@code max=1}: a
 * single-use token), and {@code name} is how logs, the device list and revocation refer to it (default
 * {@code token-} and the first 8 hex digits of the secret's SHA-256, so the secret itself is never shown).
 *
 * @param secret     what devices present; 16–256 printable ASCII characters without spaces
 * @param name       1–64 characters of [A-Za-z0-9._-]
 * @param maxDevices devices this token may enroll, ≥ 1, or {@link #UNLIMITED}
 */
public record EnrollmentToken(String secret, String name, int maxDevices) {
    public static final int UNLIMITED = Integer.MAX_VALUE;
    public static final int MIN_CHARS = 16;
    public static final int MAX_CHARS = 256;

    public EnrollmentToken {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(name, "name");
        if (secret.length() < MIN_CHARS || secret.length() > MAX_CHARS || !secret.matches("[\\x21-\\x7e]+")) {
            // Never echo a token: it is a secret even when malformed.
            throw new IllegalArgumentException("enrollment token must be " + MIN_CHARS + "-" + MAX_CHARS
                    + " printable ASCII characters without spaces, found " + secret.length() + " characters");
        }
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("enrollment token name must be 1-64 characters of [A-Za-z0-9._-],"
                    + " found '" + name + "'");
        }
        if (maxDevices < 1) {
            throw new IllegalArgumentException("enrollment token max must be >= 1, found " + maxDevices);
        }
    }

    /** A token without a device limit, named by its digest. */
    public static EnrollmentToken unlimited(String secret) {
        return new EnrollmentToken(secret, defaultName(secret), UNLIMITED);
    }

    /** {@code token-} and 8 hex digits of SHA-256(secret): names a token in logs without revealing it. */
    public static String defaultName(String secret) {
        byte[] digest = SignedMessages.sha256(secret.getBytes(StandardCharsets.UTF_8));
        return "token-" + HexFormat.of().formatHex(digest, 0, 4);
    }

    /**
     * Parses one token file line ({@code <secret> [name=NAME] [max=N]}, options in any order).
     *
     * @throws IllegalArgumentException naming the option that is wrong (never the secret)
     */
    public static EnrollmentToken parse(String line) {
        String[] parts = line.trim().split("\\s+");
        String secret = parts[0];
        String name = null;
        int max = UNLIMITED;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.startsWith("name=") && name == null) {
                name = p.substring("name=".length());
            } else if (p.startsWith("max=") && max == UNLIMITED) {
                String value = p.substring("max=".length());
                if (!value.matches("\\d{1,9}")) {
                    throw new IllegalArgumentException("max must be a whole number of devices >= 1, found '"
                            + value + "'");
                }
                max = Integer.parseInt(value);
            } else {
                throw new IllegalArgumentException("unknown or repeated option '" + p + "'; expected <token>"
                        + " [name=NAME] [max=N]");
            }
        }
        return new EnrollmentToken(secret, name == null ? defaultName(secret) : name, max);
    }

    @Override
    public String toString() {
        return "EnrollmentToken[" + name + (maxDevices == UNLIMITED ? "" : ", max=" + maxDevices) + "]";
    }
}
