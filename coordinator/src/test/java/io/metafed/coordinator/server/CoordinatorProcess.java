package io.metafed.coordinator.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link CoordinatorMain} in its own JVM (so it can be killed with SIGKILL), with the URL and certificate from its banner. */
final class CoordinatorProcess implements AutoCloseable {
    private static final String LISTENING = "Metafed coordinator listening on ";
    private static final String CERTIFICATE = "TLS certificate (trust this): ";
    private final Process process;
    private final URI uri;
    private final Path certificate;

    private CoordinatorProcess(Process process, URI uri, Path certificate) {
        this.process = process;
        this.uri = uri;
        this.certificate = certificate;
    }

    /** Starts {@code CoordinatorMain --port 0 --data-dir dataDir args...}; its stderr goes to {@code stderr}. */
    static CoordinatorProcess start(Path dataDir, Path stderr, List<String> args) throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                CoordinatorMain.class.getName(), "--port", "0", "--data-dir", dataDir.toString()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
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
                throw new AssertionError("coordinator printed no banner within 30 s; see " + stderr);
            }
            if (line.startsWith(LISTENING)) {
                uri = URI.create(line.substring(LISTENING.length()).trim());
            } else if (line.startsWith(CERTIFICATE)) {
                cert = Path.of(line.substring(CERTIFICATE.length()).trim());
            }
        }
        return new CoordinatorProcess(process, uri, cert);
    }

    URI uri() {
        return uri;
    }

    Path certificate() {
        return certificate;
    }

    /** SIGKILL on Linux (no shutdown hook runs), then waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("coordinator process did not die within 30 s of SIGKILL");
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
