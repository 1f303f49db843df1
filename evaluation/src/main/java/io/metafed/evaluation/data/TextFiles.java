package io.metafed.evaluation.data;

import io.metafed.model.data.ItemProfile;
import io.metafed.model.data.RatingScale;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Line-by-line reading and field parsing shared by the loaders; every problem names file and line. */
final class TextFiles {
    /** A year in parentheses at the end of a title, as MovieLens writes them: "Heat (1995)", "Show (2006-2007)". */
    private static final Pattern TITLE_YEAR = Pattern.compile("\\((\\d{4})(?:[-\u2013]\\d{4})?\\)\\s*$");

    private TextFiles() {
    }

    interface LineHandler {
        void accept(int line, String text);
    }

    /**
     * Streams {@code file}'s lines to {@code handler} (1-based line numbers), updating {@code digest} with its raw
     * bytes when non-null. Bytes invalid in {@code charset} are an error naming the line.
     */
    static void forEachLine(Path file, Charset charset, MessageDigest digest, LineHandler handler) {
        int line = 0;
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = digest == null ? raw : new DigestInputStream(raw, digest);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, charset.newDecoder()
                     .onMalformedInput(CodingErrorAction.REPORT)
                     .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16)) {
            String text;
            while ((text = reader.readLine()) != null) {
                handler.accept(++line, text);
            }
            if (digest != null) {
                // Drain what the reader did not need (nothing, normally) so the digest covers the whole file.
                byte[] sink = new byte[8192]; // not transferTo/nullOutputStream: Java 9/11, absent on Android 26
                while (in.read(sink) >= 0) {
                    // the digest stream sees every byte read
                }
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("data file is missing: " + file.toAbsolutePath(), e);
        } catch (CharacterCodingException e) {
            throw new DataFormatException(file, line + 1, "not valid " + charset.name() + " text (" + e + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Unable to read " + file, e);
        }
    }

    /** Fields of {@code text} separated by the literal {@code sep}; exactly {@code expected} of them. */
    static String[] split(Path file, int line, String text, String sep, int expected) {
        String[] fields = new String[expected];
        int start = 0;
        for (int f = 0; f < expected - 1; f++) {
            int end = text.indexOf(sep, start);
            if (end < 0) {
                throw fieldCount(file, line, sep, expected, f + 1);
            }
            fields[f] = text.substring(start, end);
            start = end + sep.length();
        }
        if (text.indexOf(sep, start) >= 0) {
            throw fieldCount(file, line, sep, expected, countFields(text, sep));
        }
        fields[expected - 1] = text.substring(start);
        return fields;
    }

    /** All fields of {@code text} separated by the literal {@code sep}. */
    static String[] split(String text, String sep) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int end;
        while ((end = text.indexOf(sep, start)) >= 0) {
            out.add(text.substring(start, end));
            start = end + sep.length();
        }
        out.add(text.substring(start));
        return out.toArray(new String[0]);
    }

    private static int countFields(String text, String sep) {
        return split(text, sep).length;
    }

    private static DataFormatException fieldCount(Path file, int line, String sep, int expected, int found) {
        return new DataFormatException(file, line, "expected " + expected + " fields separated by '"
                + (sep.equals("\t") ? "\\t" : sep) + "', found " + found);
    }

    /**
     * Fields of one CSV record (RFC 4180: fields containing the separator or quotes are quoted, quotes doubled),
     * e.g. {@code 11,"American President, The (1995)",Comedy|Drama|Romance}. A record may not span lines.
     */
    static List<String> csv(Path file, int line, String text, char sep) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = text.length();
        while (true) {
            field.setLength(0);
            if (i < n && text.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new DataFormatException(file, line, "quoted field " + (fields.size() + 1)
                                + " has no closing quote");
                    }
                    char c = text.charAt(i++);
                    if (c == '"') {
                        if (i < n && text.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                if (i < n && text.charAt(i) != sep) {
                    throw new DataFormatException(file, line, "field " + (fields.size() + 1)
                            + ": unexpected text after its closing quote");
                }
            } else {
                while (i < n && text.charAt(i) != sep) {
                    field.append(text.charAt(i++));
                }
            }
            fields.add(field.toString());
            if (i >= n) {
                return fields;
            }
            i++; // the separator
        }
    }

    static int parseInt(Path file, int line, String s, String field) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, field + " must be an integer, found '" + s + "'", e);
        }
    }

    /** An id: a non-negative integer. */
    static int parseId(Path file, int line, String s, String field) {
        int id = parseInt(file, line, s, field);
        if (id < 0) {
            throw new DataFormatException(file, line, field + " must be >= 0, found " + id);
        }
        return id;
    }

    static long parseLong(Path file, int line, String s, String field) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, field + " must be an integer, found '" + s + "'", e);
        }
    }

    /** A rating, which must be on {@code scale} (or, with a null scale, any finite number). */
    static float parseRating(Path file, int line, String s, RatingScale scale) {
        float r;
        try {
            r = Float.parseFloat(s.trim());
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, "rating must be a number, found '" + s + "'", e);
        }
        if (!Float.isFinite(r)) {
            throw new DataFormatException(file, line, "rating must be finite, found '" + s + "'");
        }
        if (scale != null && !scale.contains(r)) {
            throw new DataFormatException(file, line, scale.refusal(r));
        }
        return r;
    }

    /** The year at the end of a MovieLens title, or {@link ItemProfile#UNKNOWN_YEAR}. */
    static int yearInTitle(String title) {
        Matcher m = TITLE_YEAR.matcher(title);
        if (!m.find()) {
            return ItemProfile.UNKNOWN_YEAR;
        }
        int year = Integer.parseInt(m.group(1));
        return year < ItemProfile.MIN_YEAR || year > ItemProfile.MAX_YEAR ? ItemProfile.UNKNOWN_YEAR : year;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }

    static void requireNonEmpty(Path file, int rows) {
        if (rows == 0) {
            throw new DataFormatException(file, 1, "file has no records");
        }
    }
}
