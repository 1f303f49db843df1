package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.metafed.coordinator.server.StartupStateTest.Result;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 7: the operator mistakes the adversarial trial made print one line naming the problem and exit
 * non-zero, through the real launcher ({@link CoordinatorMain#commandLine()}).
 */
@Timeout(120)
class StartupFailureTest {
    @TempDir
    Path dir;

    /** The launcher with the default model, the collaborative one, over a three-item catalogue. */
    private Result run(String... args) throws java.io.IOException {
        Path catalog = Files.writeString(dir.resolve("catalog.txt"), "1\n2\n3\n");
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--catalog";
        all[args.length + 1] = catalog.toString();
        return StartupStateTest.run(all);
    }

    @Test
    void portInUse_namesThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Result r = run("--port", Integer.toString(port), "--data-dir", dir.resolve("d").toString(), "--init",
                    "--no-client-auth", "--insecure-plaintext");
            assertEquals(1, r.code());
            String line = r.oneLine();
            assertTrue(line.contains("127.0.0.1:" + port) && line.contains("--port"), line);
        }
    }

    @Test
    void missingTokenFile_namesTheFile() throws Exception {
        Path missing = dir.resolve("no-such-tokens.txt");
        Result r = run("--port", "0", "--data-dir", dir.resolve("d").toString(), "--init",
                "--enrollment-token-file", missing.toString());
        assertEquals(1, r.code());
        String line = r.oneLine();
        assertTrue(line.contains(missing.toString()) && line.contains("no such file"), line);
    }

    @Test
    void dataDirIsAFile_saysSo() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Result r = run("--port", "0", "--data-dir", file.toString(), "--init", "--no-client-auth");
        assertEquals(1, r.code());
        assertTrue(r.oneLine().contains("is not a directory"), r.err());
    }

    @Test
    void dataDirCannotBeCreated_namesThePath() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Result r = run("--port", "0", "--data-dir", file.resolve("data").toString(), "--init", "--no-client-auth");
        assertEquals(1, r.code());
        String line = r.oneLine();
        assertTrue(line.contains("cannot create data directory") && line.contains("plain-file"), line);
    }

    /** Root may write anywhere, so this one needs an ordinary user; the creation failure above always runs. */
    @Test
    void dataDirNotWritable_saysSo() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may write anywhere");
        Path locked = Files.createDirectory(dir.resolve("locked"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-x------")));
        Result r = run("--port", "0", "--data-dir", locked.toString(), "--init", "--no-client-auth");
        assertEquals(1, r.code());
        assertTrue(r.oneLine().contains("not writable"), r.err());
    }

    @Test
    void truncatedStateFile_namesTheFile() throws Exception {
        Path data = dir.resolve("d");
        try (CoordinatorServer server = CoordinatorServer.start(ServerConfig.local(data).withTls(
                TlsConfig.insecurePlaintext()))) {
            server.port();
        }
        Files.writeString(data.resolve("state.json"), "{\"formatVersion\": 1, \"nextRou");
        // The state file is read before the model is compared, so the collaborative default still names it.
        Result r = run("--port", "0", "--data-dir", data.toString(), "--no-client-auth", "--insecure-plaintext");
        assertEquals(1, r.code());
        String line = r.oneLine();
        assertTrue(line.contains("state.json") && line.contains("nextRoundId"), line);
    }

    @Test
    void badOption_isOneLineWithExitCode2() throws Exception {
        Result r = run("--port", "not-a-number");
        assertEquals(2, r.code());
        assertTrue(r.oneLine().contains("--port"), r.err());
    }
}
