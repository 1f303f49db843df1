package io.metafed.evaluation.data;

import java.util.Objects;

/**
 * One file a dataset was read from: name, size and, for the ratings file, its SHA-256 (else null), so results can
 * name exactly which data they came from.
 */
public record DataFileInfo(String name, long bytes, String sha256) {
    public DataFileInfo {
        Objects.requireNonNull(name, "name");
    }
}
