package io.metafed.coordinator.server;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.regex.Pattern;

/** Exception text for operators and clients: what went wrong, in words, without Java class names. */
public final class OperatorMessages {
    /** {@code java.io.IOException: } and the like, as {@code Throwable.toString()} and wrapped messages carry them. */
    private static final Pattern QUALIFIED_THROWABLE = Pattern.compile(
            "\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error|Throwable)\\b:?\\s*");
    /** Any other fully qualified name of a JDK or library class. */
    private static final Pattern QUALIFIED_CLASS = Pattern.compile(
            "\\b(?:java|javax|jdk|sun|com|org|io|net)\\.(?:[a-z_][a-z0-9_]*\\.)*[A-Z][A-Za-z0-9_$]*\\b");

    private OperatorMessages() {
    }

    /** {@code text} with fully qualified class names removed. */
    public static String scrub(String text) {
        if (text == null) {
            return "";
        }
        String out = QUALIFIED_THROWABLE.matcher(text).replaceAll("");
        return QUALIFIED_CLASS.matcher(out).replaceAll("").strip();
    }

    /** One line describing {@code e}: the file and the reason for file-system errors, else its scrubbed message. */
    public static String describe(Throwable e) {
        if (e instanceof FileSystemException f) {
            String reason = f.getReason() != null ? f.getReason()
                    : e instanceof NoSuchFileException ? "no such file or directory"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileAlreadyExistsException ? "already exists (and is not a directory?)"
                    : e instanceof NotDirectoryException ? "not a directory"
                    : e instanceof DirectoryNotEmptyException ? "directory not empty"
                    : "file system error";
            return (f.getFile() == null ? "" : f.getFile() + ": ") + reason
                    + (f.getOtherFile() == null ? "" : " (" + f.getOtherFile() + ")");
        }
        String message = scrub(e.getMessage());
        if (message.isEmpty() && e.getCause() != null && e.getCause() != e) {
            return describe(e.getCause());
        }
        return message.isEmpty() ? "unexpected error (see the log)" : message.lines().findFirst().orElse(message);
    }
}
