package io.metafed.coordinator.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Library and platform facts recorded in every {@link Provenance}, read once. */
final class RuntimeInfo {
    static final String LIBRARY_VERSION = readLibraryVersion();
    static final String JAVA_VERSION = System.getProperty("java.version", "unknown");
    static final String OS = System.getProperty("os.name", "unknown") + " " + System.getProperty("os.version", "");
    static final String ARCH = System.getProperty("os.arch", "unknown");

    private RuntimeInfo() {
    }

    /** From the Maven-filtered build.properties; "unknown" when run from unfiltered sources (e.g. an IDE). */
    private static String readLibraryVersion() {
        try (InputStream in = RuntimeInfo.class.getResourceAsStream("/io/metafed/coordinator/build.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read coordinator build.properties", e);
        }
    }
}
