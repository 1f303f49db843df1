package io.metafed.coordinator.server;

import io.metafed.coordinator.server.auth.EnrollmentLimits;
import io.metafed.coordinator.server.auth.EnrollmentToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Client authentication of a served federation (docs/PROTOCOL.md, "Authentication"; docs/SECURITY.md, "Sybil
 * enrollment").
 *
 * @param clientAuth       true: enrollment needs one of {@code enrollmentTokens} and registers the device's
 *                         Ed25519 key, and every later task/update request must be signed with it; false (dev only):
 *                         API v1 without client identity
 * @param enrollmentTokens operator-issued tokens, each with an optional device quota ({@code max=N}); names unique
 * @param limits           enrollment rate limits per source address and per token
 */
public record AuthConfig(boolean clientAuth, List<EnrollmentToken> enrollmentTokens, EnrollmentLimits limits) {
    public static final int MIN_TOKEN_CHARS = EnrollmentToken.MIN_CHARS;
    public static final int MAX_TOKEN_CHARS = EnrollmentToken.MAX_CHARS;

    public AuthConfig {
        enrollmentTokens = List.copyOf(Objects.requireNonNull(enrollmentTokens, "enrollmentTokens"));
        Objects.requireNonNull(limits, "limits");
        if (!clientAuth && !enrollmentTokens.isEmpty()) {
            throw new IllegalArgumentException("enrollmentTokens must be empty when clientAuth is off, found "
                    + enrollmentTokens.size() + " tokens");
        }
        Set<String> names = new HashSet<>();
        for (EnrollmentToken t : enrollmentTokens) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("enrollment token names must be unique, found '" + t.name()
                        + "' twice");
            }
        }
    }

    /** No client identity: for tests and development only. */
    public static AuthConfig disabled() {
        return new AuthConfig(false, List.of(), EnrollmentLimits.NONE);
    }

    /**
     * Unlimited tokens without rate limits: tests and the embedded simulator (CoordinatorMain applies
     * {@link EnrollmentLimits#DEFAULTS}).
     *
     * @throws IllegalArgumentException for a malformed token, naming its position (never its text)
     */
    public static AuthConfig tokens(List<String> tokens) {
        List<EnrollmentToken> parsed = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            try {
                parsed.add(EnrollmentToken.unlimited(tokens.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("enrollment token #" + (i + 1) + ": " + e.getMessage());
            }
        }
        return new AuthConfig(true, parsed, EnrollmentLimits.NONE);
    }

    public AuthConfig withLimits(EnrollmentLimits newLimits) {
        return new AuthConfig(clientAuth, enrollmentTokens, newLimits);
    }

    public AuthConfig withTokens(List<EnrollmentToken> tokens) {
        return new AuthConfig(clientAuth, tokens, limits);
    }

    /**
     * One token per line, {@code <token> [name=NAME] [max=N]} ({@link EnrollmentToken#parse}); blank lines and
     * lines starting with '#' are skipped, surrounding spaces trimmed.
     *
     * @throws IllegalArgumentException {@code file:line: problem} for a malformed line
     */
    public static List<EnrollmentToken> readTokenFile(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<EnrollmentToken> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                out.add(EnrollmentToken.parse(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        return out;
    }
}
