package io.metafed.evaluation.data;

import io.metafed.model.data.Dataset;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A dataset with where it came from: its layout, directory, the files read (sizes; SHA-256 of the ratings file)
 * and the warnings loading produced (e.g. dropped duplicates), so every result can name its data exactly.
 *
 * @param format        the layout read, or null for generated (synthetic) data
 * @param scaleInferred true when the rating scale was inferred from the ratings rather than declared
 */
public record LoadedData(Dataset dataset, DataFormat format, Path path, List<DataFileInfo> files,
                         List<String> warnings, boolean scaleInferred) {
    public LoadedData {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(path, "path");
        files = List.copyOf(files);
        warnings = List.copyOf(warnings);
    }

    /** The layout's name, or {@code synthetic}. */
    public String kind() {
        return format == null ? "synthetic" : format.label();
    }

    /** The ratings file (the first one read, the one with a SHA-256). */
    public DataFileInfo ratingsFile() {
        return files.get(0);
    }
}
