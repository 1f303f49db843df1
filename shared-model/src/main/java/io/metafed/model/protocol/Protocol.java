package io.metafed.model.protocol;

/**
 * The coordinator's HTTP API, version 1 (see docs/PROTOCOL.md). Control messages are JSON (UTF-8); tensors
 * travel as weight files ({@link io.metafed.model.format.WeightFile}, {@code application/octet-stream}).
 */
public final class Protocol {
    public static final String PREFIX = "/v1";
    public static final String ENROLL = PREFIX + "/enroll";
    public static final String TASK = PREFIX + "/task";
    public static final String MODEL = PREFIX + "/model";
    public static final String UPDATE = PREFIX + "/update";
    public static final String STATUS = PREFIX + "/status";
    public static final String METRICS = "/metrics";
    public static final String HEALTH = "/health";

    public static final String JSON = "application/json; charset=utf-8";
    public static final String OCTETS = "application/octet-stream";
    /** Response header of {@link #MODEL}: the version of the weights in the body. */
    public static final String MODEL_VERSION_HEADER = "X-Metafed-Model-Version";

    /** Metadata keys of an update's weight file, which carries Δ = φ − θ in the model's layout. */
    public static final String META_CLIENT = "client.id";
    public static final String META_ROUND = "round.id";
    public static final String META_MODEL_VERSION = "model.version";
    public static final String META_WEIGHT = "weight";

    /** Largest JSON request body the server reads. */
    public static final int MAX_JSON_BYTES = 4 * 1024;

    private Protocol() {
    }
}
