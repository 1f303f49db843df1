package io.metafed.model.format;

import java.util.Objects;

/**
 * A weight file that cannot be accepted. The message names what was expected and what was found;
 * {@link #problem()} lets callers (and tests) tell the failure kinds apart without parsing the message.
 */
public final class WeightFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** What was wrong with the file. */
    public enum Problem {
        BAD_MAGIC,
        UNSUPPORTED_VERSION,
        LAYOUT_MISMATCH,
        ELEMENT_COUNT,
        METADATA,
        TRUNCATED,
        TRAILING_BYTES,
        CHECKSUM,
        NON_FINITE
    }

    private final Problem problem;

    public WeightFormatException(Problem problem, String message) {
        this(problem, message, null);
    }

    public WeightFormatException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public Problem problem() {
        return problem;
    }
}
