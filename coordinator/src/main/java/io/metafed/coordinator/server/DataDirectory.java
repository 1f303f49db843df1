package io.metafed.coordinator.server;

import io.metafed.coordinator.server.auth.ModelSigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Start-up checks of a coordinator's data directory, before anything is read or written in it: it must be (or be
 * creatable as) a writable directory, and federation state must come with its model-signing key.
 */
final class DataDirectory {
    private DataDirectory() {
    }

    /** Creates {@code dir} if needed and checks that it is a writable directory. */
    static void prepare(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new StartupException("data directory " + dir.toAbsolutePath() + " exists but is not a directory"
                    + " (--data-dir)");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StartupException("cannot create data directory " + dir.toAbsolutePath() + ": "
                    + OperatorMessages.describe(e) + " (--data-dir)", e);
        }
        if (!Files.isWritable(dir)) {
            throw new StartupException("data directory " + dir.toAbsolutePath() + " is not writable by this user"
                    + " (--data-dir)");
        }
    }

    /** Whether {@code dir} holds federation state: a round counter, enrolled clients or checkpoints. */
    static boolean hasFederationState(Path dir) throws IOException {
        if (Files.exists(dir.resolve("state.json"))) {
            return true;
        }
        Path clients = dir.resolve("clients.log");
        if (Files.exists(clients) && Files.size(clients) > 0) {
            return true;
        }
        return modelFiles(dir.resolve("checkpoints")) > 0;
    }

    /** Number of {@code model-*.mfwt} files in {@code checkpoints} (0 if it does not exist). */
    static long modelFiles(Path checkpoints) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(checkpoints)) {
            return files.filter(f -> f.getFileName().toString().matches("model-\\d{12}\\.mfwt")).count();
        }
    }

    /**
     * Stops a start that would silently give existing state a new identity, or start an uninitialized directory
     * without {@link StartupMode#INIT}.
     */
    static void checkIdentity(Path dir, StartupMode mode) throws IOException {
        Path keys = dir.resolve("keys");
        boolean key = ModelSigningKey.exists(keys);
        boolean state = hasFederationState(dir);
        if (!key && state && mode != StartupMode.ROTATE_MODEL_KEY) {
            throw new StartupException("data directory " + dir.toAbsolutePath() + " holds federation state but no"
                    + " model-signing key (" + keys.resolve(ModelSigningKey.PRIVATE_FILE) + "): restore it from"
                    + " backup, or start with --rotate-model-key to make a new one (every shipped app then needs the"
                    + " new public key)");
        }
        if (!key && !state && mode == StartupMode.EXISTING) {
            throw new StartupException("data directory " + dir.toAbsolutePath() + " holds no federation yet: start"
                    + " once with --init to create it and its model-signing key");
        }
    }
}
