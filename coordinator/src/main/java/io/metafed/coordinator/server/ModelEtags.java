package io.metafed.coordinator.server;

import io.metafed.model.protocol.SignedMessages;
import java.util.Optional;

/**
 * Strong entity tags of served models (RFC 9110, 8.8.3), so devices that hold the current model get a 304 instead
 * of the whole file: {@code "v<version>-<first 16 hex digits of SHA-256 of the weight file>"}. The version alone
 * would do for one server, the digest keeps a tag from matching after a data-directory reset reuses a version.
 */
final class ModelEtags {
    private ModelEtags() {
    }

    static String of(long version, byte[] file) {
        return "\"v" + version + "-" + SignedMessages.sha256Hex(file).substring(0, 16) + "\"";
    }

    /**
     * Whether an {@code If-None-Match} header names {@code etag}: {@code *} or a comma-separated list of tags,
     * compared weakly as RFC 9110 13.1.2 prescribes for this header (a {@code W/} prefix is ignored).
     */
    static boolean matches(Optional<String> ifNoneMatch, String etag) {
        if (ifNoneMatch.isEmpty()) {
            return false;
        }
        for (String candidate : ifNoneMatch.get().split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
