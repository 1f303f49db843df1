package io.metafed.model.data;

/**
 * Gender as recorded by MovieLens; the synthetic generator draws from the first two values. {@link #UNKNOWN} is
 * for datasets without demographics: it encodes to no feature at all.
 */
public enum Gender {
    MALE, FEMALE, UNKNOWN;

    /** Parses the MovieLens code {@code M}/{@code F}. */
    public static Gender fromCode(String code) {
        return switch (code) {
            case "M" -> MALE;
            case "F" -> FEMALE;
            default -> throw new IllegalArgumentException("gender must be M or F, found '" + code + "'");
        };
    }
}
