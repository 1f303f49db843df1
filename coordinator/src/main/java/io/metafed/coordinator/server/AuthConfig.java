package io.metafed.coordinator.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Client authentication of a served federation (docs/PROTOCOL.md, "Authentication").
 *
 * @param clientAuth       true: enrollment needs one of {@code enrollmentTokens} and registers the device's
 *                         Ed25519 key, and every later task/update request must be signed with it; false (dev only):
 *                         API v1 without client identity
 * @param enrollmentTokens operator-issued tokens, reusable (each may enroll any number of devices until it is
 *                         removed and the server restarted); 16–256 printable ASCII characters without spaces
 */
public record AuthConfig(boolean clientAuth, List<String> enrollmentTokens) {
    public static final int MIN_TOKEN_CHARS = 16;
    public static final int MAX_TOKEN_CHARS = 256;

    public AuthConfig {
        enrollmentTokens = List.copyOf(Objects.requireNonNull(enrollmentTokens, "enrollmentTokens"));
        if (!clientAuth && !enrollmentTokens.isEmpty()) {
            throw new IllegalArgumentException("enrollmentTokens must be empty when clientAuth is off, found "
                    + enrollmentTokens.size() + " tokens");
        }
        for (int i = 0; i < enrollmentTokens.size(); i++) {
            String t = enrollmentTokens.get(i);
            if (t.length() < MIN_TOKEN_CHARS || t.length() > MAX_TOKEN_CHARS || !t.matches("[\\x21-\\x7e]+")) {
                // Never echo a token: it is a secret even when malformed.
                throw new IllegalArgumentException("enrollment token #" + (i + 1) + " must be " + MIN_TOKEN_CHARS
                        + "-" + MAX_TOKEN_CHARS + " printable ASCII characters without spaces, found "
                        + t.length() + " characters");
            }
        }
    }

    /** No client identity: for tests and development only. */
    public static AuthConfig disabled() {
        return new AuthConfig(false, List.of());
    }

    public static AuthConfig tokens(List<String> tokens) {
        return new AuthConfig(true, tokens);
    }

    /** One token per line; blank lines and lines starting with '#' are skipped, surrounding spaces trimmed. */
    public static List<String> readTokenFile(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }
}
