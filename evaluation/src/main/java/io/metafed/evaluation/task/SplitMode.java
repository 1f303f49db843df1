package io.metafed.evaluation.task;

/** How users (and, without years, items) are drawn as new in a {@link SplitConfig}. */
public enum SplitMode {
    /** A seeded random fraction of users is new; items released in or after the new-item year are new. */
    RANDOM,
    /**
     * The users who joined last (latest first rating) are new; items released last are new — by release year
     * when the catalogue has years, else by first rating.
     */
    TIME;

    /** Parses the command-line spelling {@code random} or {@code time}. */
    public static SplitMode parse(String text) {
        return switch (text) {
            case "random" -> RANDOM;
            case "time" -> TIME;
            default -> throw new IllegalArgumentException("--split must be random or time, found '" + text + "'");
        };
    }
}
