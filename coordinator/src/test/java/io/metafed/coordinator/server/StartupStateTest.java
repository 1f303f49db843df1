package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.server.auth.ModelSigningKey;
import io.metafed.security.signature.Ed25519PublicKey;
import io.metafed.security.signature.KeyFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 4: a start never silently replaces the model-signing key or restarts history. The real launcher
 * ({@link CoordinatorMain#commandLine()}) is run in-process on prepared data directories and must stop with one line.
 */
@Timeout(120)
class StartupStateTest {
    @TempDir
    Path dir;

    /** Runs the launcher; returns its exit code and what it printed on stderr. */
    static Result run(String... args) {
        StringWriter err = new StringWriter();
        var cmd = CoordinatorMain.commandLine();
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, err.toString());
    }

    record Result(int code, String err) {
        /** Exactly one line, prefixed, with no stack trace. */
        String oneLine() {
            List<String> lines = err.lines().toList();
            assertEquals(1, lines.size(), () -> "expected one line, found:\n" + err);
            assertTrue(lines.get(0).startsWith("coordinator: "), err);
            assertFalse(err.contains("\tat ") || err.contains("Exception"), err);
            return lines.get(0);
        }
    }

    private Path initialized() throws Exception {
        Path data = dir.resolve("data");
        try (CoordinatorServer server = CoordinatorServer.start(ServerConfig.local(data), Clock.systemUTC(),
                StartupMode.INIT)) {
            assertTrue(ModelSigningKey.exists(data.resolve("keys")));
        }
        return data;
    }

    private static String[] args(Path data, String... more) {
        // The directories are made with ServerConfig.local's model, MeLU on the standard schema.
        List<String> a = new ArrayList<>(List.of("--port", "0", "--data-dir", data.toString(), "--no-client-auth",
                "--insecure-plaintext", "--model", "melu"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void init_writesKeyPublicKeyAndVersionZero() throws Exception {
        Path data = initialized();
        Ed25519PublicKey published = KeyFiles.readPublicKey(data.resolve("keys").resolve(ModelSigningKey.PUBLIC_FILE));
        assertEquals(published, ModelSigningKey.load(data.resolve("keys")).publicKey());
        assertEquals(1, DataDirectory.modelFiles(data.resolve("checkpoints")), "model version 0 is on disk");
    }

    @Test
    void freshDirectory_withoutInit_stopsWithOneLine() {
        Result r = run(args(dir.resolve("new")));
        assertEquals(1, r.code());
        assertTrue(r.oneLine().contains("--init"), r.err());
        assertFalse(Files.exists(dir.resolve("new").resolve("keys")), "nothing was created");
    }

    @Test
    void deletedModelKey_withState_stopsEvenWithInit_andRotationIsExplicit() throws Exception {
        Path data = initialized();
        Path keys = data.resolve("keys");
        Ed25519PublicKey old = ModelSigningKey.load(keys).publicKey();
        Files.delete(keys.resolve(ModelSigningKey.PRIVATE_FILE));
        for (String[] a : List.of(args(data), args(data, "--init"))) {
            Result r = run(a);
            assertEquals(1, r.code());
            String line = r.oneLine();
            assertTrue(line.contains("no model-signing key") && line.contains("--rotate-model-key"), line);
            assertFalse(ModelSigningKey.exists(keys), "no key was made silently");
        }
        try (CoordinatorServer server = CoordinatorServer.start(ServerConfig.local(data), Clock.systemUTC(),
                StartupMode.ROTATE_MODEL_KEY)) {
            Ed25519PublicKey rotated = server.federation().modelKey().publicKey();
            assertNotEquals(old, rotated);
            assertEquals(rotated, KeyFiles.readPublicKey(keys.resolve(ModelSigningKey.PUBLIC_FILE)),
                    "the new public key is published");
            try (Stream<Path> files = Files.list(keys)) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith(ModelSigningKey.PUBLIC_FILE
                        + ".retired-")), "the old public key is kept");
            }
        }
    }

    @Test
    void everyCheckpointUnreadable_stopsInsteadOfRestartingAtVersionZero() throws Exception {
        Path data = initialized();
        Path checkpoints = data.resolve("checkpoints");
        List<Path> models;
        try (Stream<Path> files = Files.list(checkpoints)) {
            models = files.filter(f -> f.getFileName().toString().startsWith("model-")).toList();
        }
        for (Path m : models) {
            byte[] bytes = Files.readAllBytes(m);
            Files.write(m, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // truncated
        }
        byte[] damaged = Files.readAllBytes(models.get(0));
        Result r = run(args(data));
        assertEquals(1, r.code());
        assertTrue(r.oneLine().contains("none is readable"), r.err());
        assertThrows(StartupException.class, () -> CoordinatorServer.start(ServerConfig.local(data)));
        assertArrayEquals(damaged, Files.readAllBytes(models.get(0)), "the damaged checkpoint is left for recovery");
        assertEquals(models.size(), DataDirectory.modelFiles(checkpoints), "no fresh version 0 was written");
    }
}
