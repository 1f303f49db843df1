package io.metafed.simulation.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code metafed} CLI in a JVM of its own, as {@code ./metafed} does. For commands that measure the heap:
 * in the test JVM, garbage left by earlier tests' threads makes the live heap vary by more than what they measure.
 */
record ForkedCliRun(int exit, String out, String err) {
    private static final long TIMEOUT_MINUTES = 5;

    /** Runs {@code Main args...}; {@code dir} receives the child's stdout and stderr files. */
    static ForkedCliRun of(Path dir, String... args) throws IOException, InterruptedException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("metafed " + String.join(" ", args) + " did not finish within "
                    + TIMEOUT_MINUTES + " min; see " + out + " and " + err);
        }
        return new ForkedCliRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
