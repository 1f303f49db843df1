package io.metafed.evaluation.data;

import io.metafed.model.data.Dataset;
import io.metafed.model.data.RatingScale;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a data directory in any supported published layout ({@link DataFormat}), detected from its files unless
 * the options name one. Loading streams every file once, into primitive columns; the ratings file's SHA-256 is
 * computed on the same pass.
 */
public final class DataLoader {
    private static final Logger LOG = LoggerFactory.getLogger(DataLoader.class);

    private DataLoader() {
    }

    public static LoadedData load(Path dir, LoadOptions options) {
        DataFormat format = options.format() != null ? options.format() : DataFormat.detect(dir);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("data directory does not exist: " + dir.toAbsolutePath());
        }
        if (options.scale() != null && format != DataFormat.GENERIC && !options.scale().equals(publishedScale(format))) {
            throw new IllegalArgumentException("--rating-scale " + options.scale().describe() + " contradicts the "
                    + format.label() + " layout, whose ratings are " + publishedScale(format).describe());
        }
        Context ctx = new Context(dir, options);
        Dataset data = switch (format) {
            case MOVIELENS_100K -> MovieLensLoader.read(ctx);
            case MOVIELENS_1M, MOVIELENS_10M -> MovieLensDatLoader.read(ctx, format == DataFormat.MOVIELENS_1M);
            case MOVIELENS_CSV -> MovieLensCsvLoader.read(ctx);
            case GENERIC -> GenericLoader.read(ctx);
        };
        LOG.info("Loaded {} from {}: {} users, {} items, {} ratings", format.label(), dir, data.users().size(),
                data.items().size(), data.interactions().size());
        return new LoadedData(data, format, dir.toAbsolutePath().normalize(), ctx.files, ctx.warnings,
                ctx.scaleInferred);
    }

    /** The scale GroupLens publishes for a MovieLens layout. */
    static RatingScale publishedScale(DataFormat format) {
        return switch (format) {
            case MOVIELENS_100K, MOVIELENS_1M -> RatingScale.ONE_TO_FIVE;
            case MOVIELENS_10M, MOVIELENS_CSV -> RatingScale.HALF_STARS;
            case GENERIC -> throw new IllegalArgumentException("a generic dataset has no published scale");
        };
    }

    /** State of one load: options, files read so far, warnings. */
    static final class Context {
        final Path dir;
        final LoadOptions options;
        final List<DataFileInfo> files = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        boolean scaleInferred;

        Context(Path dir, LoadOptions options) {
            this.dir = dir;
            this.options = options;
        }

        /** Streams the ratings file, recording its size and SHA-256 (as the first file). */
        void readRatings(Path file, java.nio.charset.Charset charset, TextFiles.LineHandler handler) {
            MessageDigest digest = TextFiles.sha256();
            TextFiles.forEachLine(file, charset, digest, handler);
            files.add(0, new DataFileInfo(file.getFileName().toString(), size(file), TextFiles.hex(digest.digest())));
        }

        /** Streams a side file, recording its size. */
        void read(Path file, java.nio.charset.Charset charset, TextFiles.LineHandler handler) {
            TextFiles.forEachLine(file, charset, null, handler);
            files.add(new DataFileInfo(file.getFileName().toString(), size(file), null));
        }

        private static long size(Path file) {
            try {
                return Files.size(file);
            } catch (IOException e) {
                throw new UncheckedIOException("Unable to read the size of " + file, e);
            }
        }
    }
}
