package io.metafed.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.codehaus.mojo.animal_sniffer.ClassListBuilder;
import org.codehaus.mojo.animal_sniffer.SignatureChecker;
import org.codehaus.mojo.animal_sniffer.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Android API check that {@code mvn verify} runs over the device-side modules (animal-sniffer, API 26, with
 * the root pom's ignores) really refuses what Android lacks: a class importing {@code java.net.http} fails it, and
 * the Java features the check allows because D8 desugars them (records, List.of) pass. The ignores are read from
 * the root pom, so this test checks the configuration the build uses.
 */
class AndroidApiCheckTest {
    @TempDir
    Path dir;

    @Test
    void javaNetHttp_isRefused_whileDesugaredFeaturesPass() throws IOException {
        Path bad = compile("Bad", "import java.net.URI;\n"
                + "import java.net.http.HttpClient;\nimport java.net.http.HttpRequest;\n"
                + "public class Bad {\n  public Object send() throws Exception {\n"
                + "    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(\"http://x\")).build(),\n"
                + "        java.net.http.HttpResponse.BodyHandlers.ofByteArray());\n  }\n}\n");
        Path good = compile("Good", "import java.net.HttpURLConnection;\nimport java.net.URL;\nimport java.util.List;\n"
                + "public class Good {\n  record Pair(int a, String b) {}\n"
                + "  public Object open() throws Exception {\n"
                + "    List<Pair> pairs = List.of(new Pair(1, \"x\"));\n"
                + "    return ((HttpURLConnection) new URL(\"http://x\").openConnection()).getRequestMethod() + pairs;\n"
                + "  }\n}\n");

        List<String> badErrors = check(bad);
        assertFalse(badErrors.isEmpty(), "java.net.http must fail the Android API check");
        assertTrue(badErrors.stream().allMatch(e -> e.contains("java.net.http")), badErrors.toString());
        assertTrue(badErrors.stream().anyMatch(e -> e.contains("Undefined reference: java.net.http.HttpClient")),
                badErrors.toString());
        assertEquals(List.of(), check(good), "records and List.of are allowed: D8 desugars them");
    }

    /** The class files of {@code name}, compiled for Java 17 like the SDK. */
    private Path compile(String name, String source) throws IOException {
        Path src = dir.resolve("src-" + name);
        Path out = dir.resolve("classes-" + name);
        Files.createDirectories(src);
        Files.createDirectories(out);
        Path file = src.resolve(name + ".java");
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "--release", "17", "-d", out.toString(), file.toString());
        assertEquals(0, rc, "test source " + name + " must compile");
        return out;
    }

    /** Runs the checker as the build does and returns its error lines. */
    private static List<String> check(Path classes) throws IOException {
        List<String> errors = new ArrayList<>();
        Logger logger = new Logger() {
            @Override
            public void info(String message) {
            }

            @Override
            public void info(String message, Throwable t) {
            }

            @Override
            public void debug(String message) {
            }

            @Override
            public void debug(String message, Throwable t) {
            }

            @Override
            public void warn(String message) {
            }

            @Override
            public void warn(String message, Throwable t) {
            }

            @Override
            public void error(String message) {
                errors.add(message);
            }

            @Override
            public void error(String message, Throwable t) {
                errors.add(message);
            }
        };
        try (InputStream signature = Files.newInputStream(signatureFile())) { // the checker un-gzips it
            // As the plugin does: the checked module's own classes are known, then the pom's ignores.
            ClassListBuilder own = new ClassListBuilder(logger);
            own.process(classes.toFile());
            Set<String> ignored = new LinkedHashSet<>(own.getPackages());
            pomIgnores().forEach(i -> ignored.add(i.replace('.', '/')));
            SignatureChecker checker = new SignatureChecker(signature, ignored, logger);
            checker.setCheckJars(false);
            checker.setSourcePath(new ArrayList<>());
            checker.process(classes.toFile());
            assertEquals(!errors.isEmpty(), checker.isSignatureBroken());
        }
        return errors;
    }

    /** The API 26 signature: a test dependency of this module, the artifact the plugin checks against. */
    private static Path signatureFile() {
        String file = System.getProperty("metafed.android.signature");
        assertTrue(file != null && Files.isRegularFile(Path.of(file)),
                "system property metafed.android.signature must name the signature file, found " + file);
        return Path.of(file);
    }

    /** The {@code <ignore>} entries of the root pom's animal-sniffer configuration. */
    static Set<String> pomIgnores() throws IOException {
        String pom = Files.readString(Path.of("..", "pom.xml"), StandardCharsets.UTF_8);
        Set<String> ignores = new LinkedHashSet<>();
        Matcher m = Pattern.compile("<ignore>([^<]+)</ignore>").matcher(pom);
        while (m.find()) {
            ignores.add(m.group(1).trim());
        }
        assertTrue(ignores.contains("java.lang.Record"), "root pom must configure the ignores, found " + ignores);
        return ignores;
    }
}
