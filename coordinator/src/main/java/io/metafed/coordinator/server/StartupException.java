package io.metafed.coordinator.server;

/**
 * A start refused for a reason the operator can fix (port in use, missing or damaged state, unusable data
 * directory). Its message is one complete line naming what is wrong and what to do; launchers print it without a
 * stack trace.
 */
public final class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
