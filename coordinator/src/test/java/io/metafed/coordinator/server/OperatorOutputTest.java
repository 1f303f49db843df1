package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.model.CheckpointRetention;
import io.metafed.coordinator.server.EmbeddedHttp.Reply;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.Protocol;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12, item 7: what operators and clients are told, through the real server pipeline. */
@Timeout(180)
class OperatorOutputTest {
    /** A fully qualified JDK or library class name, as {@code Throwable.toString()} prints them. */
    static final Pattern CLASS_NAME = Pattern.compile("\\b(?:java|javax|com|io|org|sun|jdk)\\.[a-z]+\\.");

    @TempDir
    Path dir;

    @Test
    void errorBodies_nameTheProblemWithoutJavaClassNames() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        try (Federation f = Federation.open(dir, ApiPipelineTest.CONFIG, AuthConfig.disabled(), clock)) {
            EmbeddedHttp http = new EmbeddedHttp(f.api(), f.metrics());
            List<Reply> replies = List.of(
                    http.post(Protocol.ENROLL, "{\"clientId\": "),           // truncated JSON (Gson's exception)
                    http.post(Protocol.ENROLL, "{\"clientId\": [1, 2]}"),
                    http.post(Protocol.UPDATE, new byte[] {1, 2, 3, 4}),     // not a weight file
                    http.get(Protocol.TASK + "?client=%zz"),                  // malformed escape
                    http.post(Protocol.SECAGG_KEYS + "?client=c0&round=x", "{"));
            for (Reply r : replies) {
                assertTrue(r.status() >= 400 && r.status() < 500, r.status() + " " + r.text());
                assertTrue(r.text().contains("\"message\""), r.text());
                assertFalse(CLASS_NAME.matcher(r.text()).find(), "error body names a Java class: " + r.text());
            }
            assertTrue(replies.get(0).text().contains("body must be JSON"), replies.get(0).text());
            http.server.finishAndReleaseAll();
        }
    }

    @Test
    void refusedAndForgedRequests_areLoggedWithClientAndReason() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (Federation f = Federation.open(dir, ApiPipelineTest.CONFIG,
                AuthConfig.tokens(List.of(SignedRequests.TOKEN)), clock)) {
            EmbeddedHttp http = new EmbeddedHttp(f.api(), f.metrics());
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                assertEquals(401, http.get(Protocol.TASK + "?client=mallory-unsigned").status());
                int enroll = http.post(Protocol.ENROLL, "{\"clientId\":\"mallory-token\",\"publicKey\":\""
                        + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\",\"token\":\"guess\"}")
                        .status();
                assertTrue(enroll >= 400 && enroll < 500, "enrollment with a guessed token: " + enroll);
            } finally {
                System.setErr(original);
                http.server.finishAndReleaseAll();
            }
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("Refused /v1/task from client mallory-unsigned") && log.contains(": 401 "), log);
        // The enrollment refusal shares its code with earlier tests in this JVM, so the rate limit may hold it back.
    }

    @Test
    void checkpoints_arePrunedToTheNewestAndEveryKth_andTheServerResumesFromTheNewest() throws Exception {
        FederationConfig federation = RestartTest.FEDERATION.withRetention(new CheckpointRetention(2, 3));
        ParamLayout layout = federation.layout();
        ServerConfig config = ServerConfig.local(dir).withFederation(federation);
        try (CoordinatorServer server = CoordinatorServer.start(config)) {
            TestClient http = new TestClient(server.uri(), server.certificateFile().orElseThrow());
            for (String c : RestartTest.CLIENTS) {
                http.enroll(c);
            }
            for (long v = 0; v < 5; v++) {
                RestartTest.runRound(http, layout, v);
            }
        }
        // Versions 0..5 were made; kept: the newest two (4, 5) and every third (0, 3).
        assertEquals(new TreeSet<>(List.of(0L, 3L, 4L, 5L)), versionsOnDisk(dir.resolve("checkpoints")));
        try (CoordinatorServer server = CoordinatorServer.start(config)) {
            TestClient http = new TestClient(server.uri(), server.certificateFile().orElseThrow());
            assertEquals("5", http.model(layout).metadata().get("model.version"));
        }
    }

    private Path catalog() throws java.io.IOException {
        return Files.writeString(dir.resolve("catalog.txt"), "# item ids\n1\n2\n3\n");
    }

    private static TreeSet<Long> versionsOnDisk(Path checkpoints) throws Exception {
        TreeSet<Long> versions = new TreeSet<>();
        try (Stream<Path> files = Files.list(checkpoints)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.matches("model-\\d{12}\\.mfwt"))
                    .forEach(n -> versions.add(Long.parseLong(n.substring(6, 18))));
        }
        return versions;
    }

    @Test
    void launcherLogs_carryTimestamps_andPublishTheNewKey() throws Exception {
        Path stderr = dir.resolve("coordinator.err");
        try (CoordinatorProcess server = CoordinatorProcess.start(dir.resolve("data"), stderr,
                List.of("--init", "--no-client-auth", "--catalog", catalog().toString()))) {
            server.uri();
        }
        List<String> lines = Files.readAllLines(stderr);
        assertFalse(lines.isEmpty());
        Pattern stamped = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) .*");
        for (String line : lines) {
            assertTrue(stamped.matcher(line).matches(), "log line without a timestamp: " + line);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("Initialized data directory")
                && l.contains("model-signing-key.pub.pem")), String.join("\n", lines));
        // The default model: the collaborative one over the catalogue's three items.
        assertTrue(lines.stream().anyMatch(l -> l.contains("Federation in") && l.contains("model collab/v1;dim=32;"
                + "items=3:")), String.join("\n", lines));
    }
}
