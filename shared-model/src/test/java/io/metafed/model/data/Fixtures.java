package io.metafed.model.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The small published-layout fixtures under src/test/resources/io/metafed/model/data, copied for mutation. */
final class Fixtures {
    private Fixtures() {
    }

    /** The fixture directory {@code name} (ml-1m, ml-10m, ml-latest-small, generic) on the classpath. */
    static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A writable copy of fixture {@code name} in {@code dir}. */
    static Path copy(String name, Path dir) {
        Path target = dir.resolve(name);
        try (Stream<Path> files = Files.list(resource(name))) {
            Files.createDirectories(target);
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
