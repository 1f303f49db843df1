package io.metafed.model;

/**
 * Lower-case hex of bytes. Written out because {@code java.util.HexFormat} (Java 17) is missing from Android,
 * where the device-side modules run.
 */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    /** {@code b[from, to)} as hex digits, two per byte, each byte followed by {@code delimiter} except the last. */
    public static String of(byte[] b, int from, int to, String delimiter) {
        if (from < 0 || to < from || to > b.length) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") must lie in [0, " + b.length + "]");
        }
        StringBuilder s = new StringBuilder((to - from) * (2 + delimiter.length()));
        for (int i = from; i < to; i++) {
            if (i > from) {
                s.append(delimiter);
            }
            s.append(DIGITS[(b[i] >> 4) & 0xF]).append(DIGITS[b[i] & 0xF]);
        }
        return s.toString();
    }

    public static String of(byte[] b) {
        return of(b, 0, b.length, "");
    }
}
