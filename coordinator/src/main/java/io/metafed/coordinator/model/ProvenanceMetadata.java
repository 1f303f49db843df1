package io.metafed.coordinator.model;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Maps a {@link ModelVersion}'s provenance to the weight file's string metadata and back (checkpoints and downloads). */
public final class ProvenanceMetadata {
    static final String VERSION = "model.version";
    static final String ROUND = "round";
    static final String PARTICIPANTS = "participants";
    static final String TOTAL_WEIGHT = "total.weight";
    static final String CREATED = "created";
    static final String LIBRARY = "library.version";
    static final String JAVA = "java.version";
    static final String OS = "os.name";
    static final String ARCH = "os.arch";
    static final String HYPERPARAMETER = "hp.";
    /** The layout's {@code ModelSpec} description: names the model of a checkpoint or download of unknown layout. */
    public static final String MODEL_LAYOUT = "model.layout";

    private ProvenanceMetadata() {
    }

    /** The metadata a weight file of {@code model} carries: version, round, participants, hyperparameters, runtime. */
    public static Map<String, String> of(ModelVersion model) {
        Provenance p = model.provenance();
        Map<String, String> m = new LinkedHashMap<>();
        m.put(VERSION, Long.toString(model.version()));
        m.put(ROUND, Integer.toString(p.round()));
        m.put(PARTICIPANTS, Integer.toString(p.participants()));
        m.put(TOTAL_WEIGHT, Double.toString(p.totalWeight()));
        m.put(CREATED, p.createdAt().toString());
        m.put(LIBRARY, p.libraryVersion());
        m.put(JAVA, p.javaVersion());
        m.put(OS, p.os());
        m.put(ARCH, p.arch());
        p.hyperparameters().forEach((k, v) -> m.put(HYPERPARAMETER + k, v));
        return m;
    }

    /**
     * {@link #of(ModelVersion)} plus the description of {@code layout}: what checkpoints and served models carry,
     * byte for byte the same, so a coordinator started for another model can say which one a checkpoint holds.
     */
    public static Map<String, String> of(ModelVersion model, io.metafed.model.nn.ParamLayout layout) {
        Map<String, String> m = of(model);
        m.put(MODEL_LAYOUT, layout.spec().describe());
        return m;
    }

    /** Rebuilds the model version; a missing or malformed field is an {@link IllegalArgumentException}. */
    static ModelVersion parse(Map<String, String> m, float[] params, long layoutId) {
        TreeMap<String, String> hyperparameters = new TreeMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith(HYPERPARAMETER)) {
                hyperparameters.put(k.substring(HYPERPARAMETER.length()), v);
            }
        });
        try {
            Provenance p = new Provenance(Integer.parseInt(field(m, ROUND)), Integer.parseInt(field(m, PARTICIPANTS)),
                    Double.parseDouble(field(m, TOTAL_WEIGHT)), hyperparameters, Instant.parse(field(m, CREATED)),
                    layoutId, field(m, LIBRARY), field(m, JAVA), field(m, OS), field(m, ARCH));
            return new ModelVersion(Long.parseLong(field(m, VERSION)), p.round(), params, p);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("checkpoint metadata is malformed: " + e.getMessage(), e);
        }
    }

    private static String field(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("checkpoint metadata lacks '" + key + "'");
        }
        return v;
    }
}
