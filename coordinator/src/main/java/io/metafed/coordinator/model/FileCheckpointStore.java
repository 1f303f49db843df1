package io.metafed.coordinator.model;

import io.metafed.coordinator.aggregate.OptimizerState;
import io.metafed.coordinator.aggregate.OptimizerStateFile;
import io.metafed.model.format.WeightFile;
import io.metafed.model.format.Weights;
import io.metafed.model.nn.ParamLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model versions as weight files ({@code model-<version>.mfwt}, format v1 with provenance in its metadata) in
 * one directory, each with its server optimizer state ({@code optimizer-<version>.mfos}, see
 * {@link OptimizerStateFile}) when the optimizer keeps any. Each file is written to a temporary name, fsynced and
 * renamed, the optimizer state before the model, so after a crash the directory holds complete versions only
 * and a model file implies its optimizer state was written. {@link #latest()} returns the newest version that
 * reads back valid; a damaged newer file is skipped with a warning rather than served. Thread-safe.
 */
public final class FileCheckpointStore implements CheckpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileCheckpointStore.class);
    private static final Pattern NAME = Pattern.compile("model-(\\d{12})\\.mfwt");

    private final Path dir;
    private final ParamLayout layout;
    private final CheckpointRetention retention;

    /** Keeps every version (tests, tools). */
    public FileCheckpointStore(Path dir, ParamLayout layout) throws IOException {
        this(dir, layout, CheckpointRetention.all());
    }

    /** Prunes old versions after each save as {@code retention} says. */
    public FileCheckpointStore(Path dir, ParamLayout layout, CheckpointRetention retention) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.layout = layout;
        this.retention = java.util.Objects.requireNonNull(retention, "retention");
    }

    public Path directory() {
        return dir;
    }

    @Override
    public synchronized void save(ModelVersion model, OptimizerState optimizerState) throws IOException {
        CheckpointChecks.optimizerState(model, optimizerState);
        List<Long> versions = versions();
        if (!versions.isEmpty() && model.version() <= versions.get(0)) {
            throw new IllegalArgumentException("checkpoint version must be greater than the latest stored "
                    + versions.get(0) + ", found " + model.version());
        }
        Path stateFile = optimizerFile(model.version());
        if (optimizerState.size() > 0) {
            OptimizerStateFile.write(stateFile, model.version(), optimizerState);
        } else {
            // A leftover from a failed save of this version under a stateful rule must not pass for its state.
            Files.deleteIfExists(stateFile);
        }
        // Names the model, so a restart configured for another one can say which (see storedModel()).
        WeightFile.write(layout, model.vector(), ProvenanceMetadata.of(model, layout), file(model.version()));
        prune();
    }

    /** What the newest checkpoint that reads back valid holds, whatever its layout. */
    public record StoredModel(long version, long layoutId, String family, Optional<String> description) {
        /** "collab/v1;dim=16;... (layout 0123456789abcdef)", or the family and id alone for older checkpoints. */
        public String describe() {
            return description.orElse(family + " (checkpoint written before checkpoints named their layout)")
                    + " (layout " + String.format("%016x", layoutId) + ")";
        }
    }

    /**
     * The model of the newest checkpoint that is a valid weight file of any layout, or empty when there is none;
     * damaged files are skipped as in {@link #latest()}. A coordinator compares it with the model it is configured
     * to serve before resuming.
     */
    public synchronized Optional<StoredModel> storedModel() throws IOException {
        for (long version : versions()) {
            byte[] bytes = Files.readAllBytes(file(version));
            try {
                Weights w = WeightFile.readAnyLayout(bytes);
                return Optional.of(new StoredModel(version, w.layoutId(), WeightFile.modelFamily(bytes),
                        Optional.ofNullable(w.metadata().get(ProvenanceMetadata.MODEL_LAYOUT))));
            } catch (IllegalArgumentException e) {
                LOG.debug("Checkpoint {} is not a valid weight file: {}", file(version), e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * Deletes the versions {@link CheckpointRetention} does not keep, counted from the newest (the one just saved).
     * The model file goes first, so a model file on disk still implies its optimizer state; a failed delete is only
     * a warning: the version stays and the next save tries again.
     */
    private void prune() throws IOException {
        List<Long> versions = versions();
        for (int rank = 0; rank < versions.size(); rank++) {
            long version = versions.get(rank);
            if (retention.keeps(version, rank)) {
                continue;
            }
            try {
                Files.deleteIfExists(file(version));
                Files.deleteIfExists(optimizerFile(version));
                LOG.debug("Pruned checkpoint version {}", version);
            } catch (IOException e) {
                LOG.warn("Could not prune checkpoint version {} in {}: {}", version, dir, e.toString());
            }
        }
    }

    @Override
    public synchronized Optional<ModelVersion> latest() throws IOException {
        for (long version : versions()) {
            Path file = file(version);
            try {
                Weights w = WeightFile.read(file, layout);
                ModelVersion model = ProvenanceMetadata.parse(w.metadata(), w.params(), w.layoutId());
                if (model.version() != version) {
                    throw new IllegalArgumentException("file name says version " + version + ", metadata says "
                            + model.version());
                }
                return Optional.of(model);
            } catch (IllegalArgumentException e) {
                LOG.warn("Skipping damaged checkpoint {}: {}", file, e.getMessage());
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized Optional<OptimizerState> optimizerState(long version) throws IOException {
        try {
            return Optional.of(OptimizerStateFile.read(optimizerFile(version), version, layout.size()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private Path optimizerFile(long version) {
        return dir.resolve(String.format("optimizer-%012d.mfos", version));
    }

    private Path file(long version) {
        return dir.resolve(String.format("model-%012d.mfwt", version));
    }

    /** Stored version numbers, newest first. */
    private List<Long> versions() throws IOException {
        List<Long> versions = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (m.matches()) {
                    versions.add(Long.parseLong(m.group(1)));
                }
            });
        }
        versions.sort(Comparator.reverseOrder());
        return versions;
    }
}
