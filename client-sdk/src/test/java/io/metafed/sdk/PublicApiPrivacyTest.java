package io.metafed.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.data.Interaction;
import io.metafed.sdk.runtime.OrtModelRuntime;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Raw ratings never leave the SDK, structurally: no public class of {@code io.metafed.sdk} (or a subpackage)
 * has a public or protected member whose type mentions {@link Interaction}, not even as a type argument.
 */
class PublicApiPrivacyTest {
    private static final String PACKAGE = "io.metafed.sdk";

    @Test
    void publicApi_everySdkClass_neverMentionsInteraction() throws Exception {
        List<Class<?>> classes = publicMainClasses();
        assertTrue(classes.containsAll(List.of(MetafedClient.class, MetafedClient.Builder.class,
                InteractionStore.class, LocalUpdate.class, OrtModelRuntime.class)), "scan found " + classes);
        assertEquals(List.of(), ApiTypeScanner.mentions(classes, Interaction.class));
    }

    @Test
    void scanner_plantedLeaks_areEachReported() {
        List<String> found = ApiTypeScanner.mentions(List.of(Leaky.class), Interaction.class);
        assertEquals(6, found.size(), String.join("\n", found));
    }

    /** Every way a type can smuggle ratings out that the scanner must see. */
    @SuppressWarnings("unused")
    public static class Leaky {
        public Interaction[] field;
        protected Map<String, ? extends Interaction> byName;
        private List<Interaction> hidden; // private: not API

        public Leaky(Optional<Interaction> seed) {
        }

        public List<Interaction> ratings() {
            return List.of();
        }

        public void export(Consumer<List<Interaction>> sink) {
        }

        public <T extends Interaction> T first() {
            return null;
        }

        List<Interaction> packagePrivate() {
            return hidden;
        }
    }

    /** Public top-level and nested classes of the SDK's main output (directory or jar), not of the tests. */
    private static List<Class<?>> publicMainClasses()
            throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(MetafedClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.walk(root.resolve(PACKAGE.replace('.', '/')))) {
                files.map(p -> root.relativize(p).toString().replace('\\', '/')).forEach(names::add);
            }
        } else {
            try (JarFile jar = new JarFile(root.toFile())) {
                jar.stream().map(e -> e.getName()).forEach(names::add);
            }
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            if (name.startsWith(PACKAGE.replace('.', '/') + "/") && name.endsWith(".class")) {
                Class<?> c = Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false,
                        PublicApiPrivacyTest.class.getClassLoader());
                if (isPublicApi(c)) {
                    classes.add(c);
                }
            }
        }
        return classes;
    }

    private static boolean isPublicApi(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }
}
