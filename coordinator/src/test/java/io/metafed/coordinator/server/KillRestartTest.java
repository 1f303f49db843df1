package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.format.Weights;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.TaskResponse;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code kill -9} of a coordinator JVM mid-round, then a restart on the same data directory. */
@Timeout(120)
class KillRestartTest {
    @TempDir
    Path dir;

    /** A running {@link CoordinatorMain} in its own JVM, with its URL and certificate read from its banner. */
    private record Child(Process process, URI uri, Path certificate) {
    }

    private Child launch(String name) throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                CoordinatorMain.class.getName(), "--port", "0", "--data-dir", dir.resolve("data").toString(),
                "--clients-per-round", "3", "--min-updates", "2", "--min-clients", "3", "--over-selection", "1",
                "--round-seconds", "30", "--no-client-auth"));
        Process process = new ProcessBuilder(command).redirectError(dir.resolve(name + ".err").toFile()).start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                // The process was killed; nothing more to read.
            }
        }, "child-stdout");
        reader.setDaemon(true);
        reader.start();
        URI uri = null;
        Path cert = null;
        while (uri == null || cert == null) {
            String line = lines.poll(30, TimeUnit.SECONDS);
            if (line == null) {
                process.destroyForcibly();
                throw new AssertionError("coordinator printed no banner within 30 s; see " + name + ".err");
            }
            if (line.startsWith("Metafed coordinator listening on ")) {
                uri = URI.create(line.substring("Metafed coordinator listening on ".length()).trim());
            } else if (line.startsWith("TLS certificate (trust this): ")) {
                cert = Path.of(line.substring("TLS certificate (trust this): ".length()).trim());
            }
        }
        return new Child(process, uri, cert);
    }

    @Test
    void killDuringRound_restartServesCommittedModelAndContinues() throws Exception {
        ParamLayout layout = FederationConfig.defaults().layout();
        Weights committed;
        int killedRound;
        Child first = launch("first");
        try {
            TestClient http = new TestClient(first.uri(), first.certificate());
            for (String c : RestartTest.CLIENTS) {
                http.enroll(c);
            }
            RestartTest.runRound(http, layout, 0);
            RestartTest.runRound(http, layout, 1);
            committed = http.model(layout);
            TaskResponse open = http.awaitTask("c0");
            killedRound = open.roundId();
            assertEquals(202, http.update(Updates.body(layout, "c0", killedRound, 2, 0.1f, 5)).statusCode());
            first.process().destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs
            assertTrue(first.process().waitFor(30, TimeUnit.SECONDS));
        } finally {
            first.process().destroyForcibly();
        }

        Child second = launch("second");
        try {
            TestClient http = new TestClient(second.uri(), second.certificate());
            Weights served = http.model(layout);
            assertEquals("2", served.metadata().get("model.version"));
            assertArrayEquals(committed.params(), served.params());
            int next = RestartTest.runRound(http, layout, 2);
            assertTrue(next > killedRound, "round " + next + " must follow killed round " + killedRound);
            assertEquals("3", http.model(layout).metadata().get("model.version"));
        } finally {
            second.process().destroyForcibly();
            second.process().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
