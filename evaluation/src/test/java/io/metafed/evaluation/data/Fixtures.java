package io.metafed.evaluation.data;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The small published-layout fixtures under src/test/resources/io/metafed/evaluation/data, written here with invented
 * values. Their ratings files are committed as {@code *.fixture}, so that no file in the repository carries a
 * MovieLens ratings file's name (the licence forbids redistributing the real ones, and the check for that goes by
 * name); {@link #resource} materializes a directory with the published names.
 */
final class Fixtures {
    static final String SUFFIX = ".fixture";
    private static final Map<String, Path> MATERIALIZED = new ConcurrentHashMap<>();

    private Fixtures() {
    }

    /** The fixture directory {@code name} (ml-1m, ml-10m, ml-latest-small, generic) in its published layout. */
    static Path resource(String name) {
        return MATERIALIZED.computeIfAbsent(name, n -> {
            try {
                Path dir = Files.createTempDirectory("metafed-fixture-");
                dir.toFile().deleteOnExit();
                return copyInto(Path.of(Fixtures.class.getResource(n).toURI()), dir.resolve(n));
            } catch (URISyntaxException | IOException e) {
                throw new IllegalStateException("cannot materialize fixture " + n, e);
            }
        });
    }

    /** A writable copy of fixture {@code name} in {@code dir}. */
    static Path copy(String name, Path dir) {
        try {
            return copyInto(resource(name), dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copyInto(Path source, Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.toList()) {
                String file = f.getFileName().toString();
                if (file.endsWith(SUFFIX)) {
                    file = file.substring(0, file.length() - SUFFIX.length());
                }
                Path copy = target.resolve(file);
                Files.copy(f, copy);
                copy.toFile().deleteOnExit();
            }
        }
        return target;
    }

    static LoadedData load(Path dir) {
        return DataLoader.load(dir, LoadOptions.defaults());
    }

    static LoadedData load(Path dir, DuplicatePolicy policy) {
        return DataLoader.load(dir, new LoadOptions(null, policy, null));
    }
}
