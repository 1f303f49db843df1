package io.metafed.evaluation.data;

/** What a loader does with several ratings of one item by one user. */
public enum DuplicatePolicy {
    /** Keep the rating that comes last in the file, with a one-line warning counting the dropped ones. */
    KEEP_LAST,
    /** Stop with an error naming the file and line of the first repeated rating. */
    REFUSE;

    /** Parses the command-line spelling {@code keep-last} or {@code refuse}. */
    public static DuplicatePolicy parse(String text) {
        return switch (text) {
            case "keep-last" -> KEEP_LAST;
            case "refuse" -> REFUSE;
            default -> throw new IllegalArgumentException("--duplicates must be keep-last or refuse, found '" + text
                    + "'");
        };
    }
}
