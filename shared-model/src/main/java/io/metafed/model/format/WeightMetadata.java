package io.metafed.model.format;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Conventional metadata keys for weight files, and the provenance every file written by Metafed carries, so
 * a model found on disk can be traced to the round and the build that produced it.
 */
public final class WeightMetadata {
    public static final String MODEL_VERSION = "model.version";
    /** The {@link io.metafed.model.nn.ModelSpec#family() model family} of the file's θ (format version 2 on). */
    public static final String MODEL_FAMILY = "model.family";
    public static final String ROUND = "round";
    public static final String CREATED = "created";
    public static final String LIBRARY_VERSION = "library.version";
    public static final String JAVA_VERSION = "java.version";
    public static final String OS_NAME = "os.name";
    public static final String OS_ARCH = "os.arch";
    /** Used when the jar manifest has no Implementation-Version, e.g. when running from classes. */
    public static final String UNKNOWN_VERSION = "unknown";

    private WeightMetadata() {
    }

    /**
     * Provenance of a model written now: its version and federated round, the creation instant (ISO-8601 UTC
     * from {@code clock}), the library version, and the Java version, OS and architecture that wrote it.
     */
    public static Map<String, String> provenance(String modelVersion, long round, Clock clock) {
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(clock, "clock");
        if (round < 0) {
            throw new IllegalArgumentException("round must be >= 0, found " + round);
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put(MODEL_VERSION, modelVersion);
        m.put(ROUND, Long.toString(round));
        m.put(CREATED, clock.instant().toString());
        m.put(LIBRARY_VERSION, libraryVersion());
        m.put(JAVA_VERSION, System.getProperty("java.version", UNKNOWN_VERSION));
        m.put(OS_NAME, System.getProperty("os.name", UNKNOWN_VERSION));
        m.put(OS_ARCH, System.getProperty("os.arch", UNKNOWN_VERSION));
        return m;
    }

    /** The shared-model version from the jar manifest, or {@value #UNKNOWN_VERSION}. */
    public static String libraryVersion() {
        String v = WeightMetadata.class.getPackage().getImplementationVersion();
        return v == null ? UNKNOWN_VERSION : v;
    }

    /** Reads {@link #ROUND} back as a number, rejecting files whose round is missing or malformed. */
    public static long round(Weights weights) {
        String value = weights.metadata().get(ROUND);
        if (value == null) {
            throw new IllegalArgumentException("metadata must contain '" + ROUND + "', found keys "
                    + weights.metadata().keySet());
        }
        long round;
        try {
            round = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata '" + ROUND + "' must be an integer, found '" + value + "'", e);
        }
        if (round < 0) {
            throw new IllegalArgumentException("metadata '" + ROUND + "' must be >= 0, found " + round);
        }
        return round;
    }
}
