package io.metafed.evaluation.data;

import java.nio.file.Path;

/** Malformed input data: names the file, the 1-based line and what was wrong. */
public final class DataFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final int line;

    public DataFormatException(Path file, int line, String problem) {
        this(file, line, problem, null);
    }

    public DataFormatException(Path file, int line, String problem, Throwable cause) {
        super(file + ":" + line + ": " + problem, cause);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    public int line() {
        return line;
    }
}
