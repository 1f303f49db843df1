package io.metafed.coordinator.server.auth;

import io.metafed.model.protocol.SignedMessages;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * The operator-issued enrollment tokens, kept only as SHA-256 digests. A presented token is hashed and compared
 * with every digest in constant time (no early exit), so response timing reveals neither which token nor how
 * many leading characters matched.
 */
public final class EnrollmentTokens {
    private record Entry(byte[] digest, EnrollmentToken token) {
    }

    private final List<Entry> entries;

    public EnrollmentTokens(List<EnrollmentToken> tokens) {
        this.entries = tokens.stream().map(t -> new Entry(SignedMessages.sha256(t.secret().getBytes(
                StandardCharsets.UTF_8)), t)).toList();
    }

    /** The token {@code presented} is, if any. */
    public Optional<EnrollmentToken> match(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] digest = SignedMessages.sha256(presented.getBytes(StandardCharsets.UTF_8));
        EnrollmentToken found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest(), digest)) {
                found = e.token();
            }
        }
        return Optional.ofNullable(found);
    }

    public boolean matches(String presented) {
        return match(presented).isPresent();
    }

    public int size() {
        return entries.size();
    }
}
