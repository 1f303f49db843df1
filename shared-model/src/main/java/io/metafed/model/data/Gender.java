package io.metafed.model.data;

/** Gender as recorded by MovieLens; the synthetic generator draws from the same two values. */
public enum Gender {
    MALE, FEMALE;

    /** Parses the MovieLens code {@code M}/{@code F}. */
    public static Gender fromCode(String code) {
        return switch (code) {
            case "M" -> MALE;
            case "F" -> FEMALE;
            default -> throw new IllegalArgumentException("gender must be M or F, found '" + code + "'");
        };
    }
}
