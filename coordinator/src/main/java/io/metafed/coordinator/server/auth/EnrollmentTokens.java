package io.metafed.coordinator.server.auth;

import io.metafed.model.protocol.SignedMessages;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * The operator-issued enrollment tokens, kept only as SHA-256 digests. A presented token is hashed and compared
 * with every digest in constant time (no early exit), so response timing reveals neither which token nor how
 * many leading characters matched.
 */
public final class EnrollmentTokens {
    private final List<byte[]> digests;

    public EnrollmentTokens(List<String> tokens) {
        this.digests = tokens.stream().map(t -> SignedMessages.sha256(t.getBytes(StandardCharsets.UTF_8))).toList();
    }

    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        byte[] digest = SignedMessages.sha256(presented.getBytes(StandardCharsets.UTF_8));
        boolean match = false;
        for (byte[] d : digests) {
            match |= MessageDigest.isEqual(d, digest);
        }
        return match;
    }

    public int size() {
        return digests.size();
    }
}
