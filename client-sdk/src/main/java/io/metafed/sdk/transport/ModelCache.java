package io.metafed.sdk.transport;

import io.metafed.files.AtomicFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last global model a device downloaded, kept in one file between app launches so that a poll whose model did
 * not change costs a 304 instead of the whole model. It holds the weight-file bytes exactly as served with the
 * headers that make them checkable ({@code ETag}, version, signature); the transport verifies the signature again
 * every time it uses the cached bytes, so a cache file altered on the device is refused like a tampered download.
 * <p>
 * File format v1, little-endian: {@code "MFMC"}, version (int), header length h (int), h bytes of UTF-8
 * {@link Properties} text ({@code etag}, {@code version}, {@code signature}), then the weight file. Written atomically ({@link AtomicFiles}); a file that does
 * not parse is ignored (and replaced at the next download), never trusted. Thread-safe.
 */
final class ModelCache {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
    private static final byte[] MAGIC = "MFMC".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = 12;

    /** A cached answer: the strong {@code etag}, the served version and signature headers and the file. */
    record Entry(String etag, String version, String signature, byte[] file) {
        Entry {
            Objects.requireNonNull(etag, "etag");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(file, "file");
        }
    }

    private final Path file;

    ModelCache(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    Path file() {
        return file;
    }

    /** The cached entry, or empty when there is none or the file is not a valid cache file (logged). */
    synchronized Optional<Entry> load() {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("Ignoring unreadable model cache {}: {}", file, e.toString());
            return Optional.empty();
        }
        try {
            return Optional.of(parse(b));
        } catch (IllegalArgumentException | IOException e) {
            LOG.warn("Ignoring invalid model cache {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    private static Entry parse(byte[] b) throws IOException {
        if (b.length < HEADER_BYTES || !Arrays.equals(Arrays.copyOf(b, 4), MAGIC)) {
            throw new IllegalArgumentException("not a model cache file (magic \"MFMC\" expected)");
        }
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (buf.getInt(4) != VERSION) {
            throw new IllegalArgumentException("cache format version must be " + VERSION + ", found " + buf.getInt(4));
        }
        int h = buf.getInt(8);
        if (h < 0 || h > b.length - HEADER_BYTES) {
            throw new IllegalArgumentException("header length must be in [0, " + (b.length - HEADER_BYTES)
                    + "], found " + h);
        }
        Properties header = new Properties();
        header.load(new StringReader(new String(b, HEADER_BYTES, h, StandardCharsets.UTF_8)));
        String etag = header.getProperty("etag");
        String version = header.getProperty("version");
        if (etag == null || version == null) {
            throw new IllegalArgumentException("header must name etag and version, found " + header.keySet());
        }
        return new Entry(etag, version, header.getProperty("signature"),
                Arrays.copyOfRange(b, HEADER_BYTES + h, b.length));
    }

    /** Replaces the cached entry; a failure is logged, not thrown: the cache only saves bandwidth. */
    synchronized void store(Entry entry) {
        Properties properties = new Properties();
        properties.setProperty("etag", entry.etag());
        properties.setProperty("version", entry.version());
        if (entry.signature() != null) {
            properties.setProperty("signature", entry.signature());
        }
        StringWriter text = new StringWriter();
        try {
            properties.store(text, null);
        } catch (IOException e) {
            throw new IllegalStateException("a StringWriter does not fail", e);
        }
        byte[] header = text.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + header.length + entry.file().length)
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).putInt(VERSION).putInt(header.length).put(header).put(entry.file());
        try {
            AtomicFiles.write(file, buf.array());
        } catch (IOException e) {
            LOG.warn("Could not write model cache {}: {}", file, e.toString());
        }
    }

    /** Removes the cache file; true when there was one. */
    synchronized boolean delete() throws IOException {
        return Files.deleteIfExists(file);
    }
}
