package io.metafed.sdk;

import io.metafed.model.Crc32c;
import io.metafed.model.data.Interaction;
import io.metafed.model.data.RatingScale;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's private ratings, persisted in an append-only file the app names. Raw interactions never leave
 * the SDK: the public API can add ratings and count them, and only package-private code (the adaptation in
 * {@link MetafedClient}) reads them back.
 * <p>
 * File format v1, little-endian: header {@code "MFIS"}, version (int), user id (int); then 20-byte records:
 * item (int), rating (float), timestamp (long), CRC32C of the record's first 16 bytes (int). A torn last record
 * (crash during append) is truncated on open; a bad record before the end is corruption and is refused.
 * Thread-safe: all methods synchronize on the store. One opener at a time: the file is locked exclusively
 * ({@link FileChannel#tryLock()}, advisory on Linux and Android, mandatory on Windows) from open to close, and a
 * second opener, in this process or another, gets a {@link StoreInUseException}.
 */
public final class InteractionStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InteractionStore.class);
    static final int MAGIC = 0x5349464d; // "MFIS" read little-endian
    static final int VERSION = 1;
    static final int HEADER_BYTES = 12;
    static final int RECORD_BYTES = 20;

    /**
     * Stores open in this process, by absolute path. Checked before a channel is opened because on Linux closing
     * any descriptor of a file drops every lock this process holds on it (FileChannel's documented caveat): a
     * refused second opener must not release the first one's lock by closing its channel.
     */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final Path key;
    private final int user;
    private final FileChannel channel;
    private final List<Interaction> interactions;
    private final RatingScale scale;
    private boolean closed;

    private InteractionStore(Path file, Path key, int user, FileChannel channel, List<Interaction> interactions,
                             RatingScale scale) {
        this.scale = scale;
        this.file = file;
        this.key = key;
        this.user = user;
        this.channel = channel;
        this.interactions = interactions;
    }

    /** Opens (creating if absent) the store of {@code user} at {@code file}, for ratings from 1 to 5. */
    public static InteractionStore open(Path file, int user) {
        return open(file, user, RatingScale.ANY_1_TO_5);
    }

    /**
     * Opens (creating if absent) the store of {@code user} at {@code file}, holding ratings on {@code scale}.
     *
     * @throws StoreInUseException if another store (in this process or another) has the file open
     */
    public static InteractionStore open(Path file, int user, RatingScale scale) {
        java.util.Objects.requireNonNull(scale, "scale");
        Path key = key(file);
        if (!OPEN.add(key)) {
            throw new StoreInUseException(file, "in this process");
        }
        try {
            return open(file, key, user, scale);
        } catch (RuntimeException e) {
            OPEN.remove(key);
            throw e;
        }
    }

    /** The file's identity in this process: its real path when it exists (symlinks resolved), else absolute. */
    private static Path key(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath();
        } catch (IOException e) {
            Path parent = absolute.getParent();
            try {
                return parent == null ? absolute : parent.toRealPath().resolve(absolute.getFileName());
            } catch (IOException noParent) {
                return absolute;
            }
        }
    }

    private static InteractionStore open(Path file, Path key, int user, RatingScale scale) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                lock(channel, file);
                // Only the lock holder may look at the size: an unlocked "fresh" check could truncate a live store.
                boolean fresh = channel.size() == 0;
                List<Interaction> list = fresh ? writeHeader(channel, user) : readAll(file, channel, user, scale);
                channel.position(channel.size());
                return new InteractionStore(file, key, user, channel, list, scale);
            } catch (RuntimeException | IOException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Unable to open interaction store " + file, e);
        }
    }

    /** Holds an exclusive lock on the whole file until the channel closes, or throws {@link StoreInUseException}. */
    private static void lock(FileChannel channel, Path file) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            throw new StoreInUseException(file, "in this process");
        }
        if (lock == null) {
            throw new StoreInUseException(file, "by another process");
        }
    }

    private static List<Interaction> writeHeader(FileChannel channel, int user) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        ((Buffer) header.putInt(MAGIC).putInt(VERSION).putInt(user)).flip();
        channel.truncate(0);
        channel.write(header, 0);
        channel.force(true);
        return new ArrayList<>();
    }

    private static List<Interaction> readAll(Path file, FileChannel channel, int user, RatingScale scale)
            throws IOException {
        long size = channel.size();
        if (size < HEADER_BYTES) {
            throw new IllegalStateException(file + ": interaction store header is truncated (" + size + " bytes)");
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(header, 0);
        ((Buffer) header).flip(); // Buffer's: ByteBuffer's covariant flip/clear are absent on Android
        int magic = header.getInt();
        int version = header.getInt();
        int owner = header.getInt();
        if (magic != MAGIC) {
            throw new IllegalStateException(file + ": not an interaction store (magic 0x"
                    + Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(MAGIC) + ")");
        }
        if (version != VERSION) {
            throw new IllegalStateException(file + ": unsupported interaction store version " + version
                    + ", expected " + VERSION);
        }
        if (owner != user) {
            throw new IllegalStateException(file + ": store belongs to user " + owner + ", not " + user);
        }
        long records = (size - HEADER_BYTES) / RECORD_BYTES;
        List<Interaction> list = new ArrayList<>((int) Math.min(records, 1 << 20));
        ByteBuffer buf = ByteBuffer.allocate(RECORD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long r = 0; r < records; r++) {
            ((Buffer) buf).clear();
            channel.read(buf, HEADER_BYTES + r * RECORD_BYTES);
            ((Buffer) buf).flip();
            if (!checksumOk(buf)) {
                if (r == records - 1) {
                    LOG.warn("{}: dropping torn last record {}", file, r);
                    break;
                }
                throw new IllegalStateException(file + ": record " + r + " of " + records + " fails its checksum");
            }
            try {
                float rating = buf.getFloat(4);
                if (!scale.contains(rating)) {
                    throw new IllegalArgumentException(scale.refusal(rating));
                }
                list.add(new Interaction(user, buf.getInt(0), rating, buf.getLong(8)));
            } catch (IllegalArgumentException e) {
                // The checksum matches, so this is not a torn append: written wrong, or tampered with.
                throw new IllegalStateException(file + ": record " + r + " of " + records + " is invalid: "
                        + e.getMessage(), e);
            }
        }
        long valid = HEADER_BYTES + (long) list.size() * RECORD_BYTES;
        if (valid != size) {
            LOG.warn("{}: truncating {} bytes of an incomplete append", file, size - valid);
            channel.truncate(valid);
        }
        return list;
    }

    private static boolean checksumOk(ByteBuffer record) {
        Crc32c crc = new Crc32c();
        crc.update(record.array(), 0, 16);
        return (int) crc.getValue() == record.getInt(16);
    }

    /** Records one rating; durable (fsynced) when this returns. */
    public synchronized void append(int item, float rating, long timestamp) {
        appendAll(new int[] {item}, new float[] {rating}, timestamp);
    }

    /**
     * Records several ratings with one fsync (an app importing history); all are validated before any is
     * written, so a bad rating stores none of them.
     */
    public synchronized void appendAll(int[] items, float[] ratings, long timestamp) {
        requireOpen();
        if (items.length != ratings.length) {
            throw new IllegalArgumentException("items and ratings must have equal length, found " + items.length
                    + " and " + ratings.length);
        }
        List<Interaction> batch = new ArrayList<>(items.length);
        ByteBuffer buf = ByteBuffer.allocate(RECORD_BYTES * items.length).order(ByteOrder.LITTLE_ENDIAN);
        Crc32c crc = new Crc32c();
        for (int i = 0; i < items.length; i++) {
            if (!scale.contains(ratings[i])) {
                throw new IllegalArgumentException("ratings[" + i + "]: " + scale.refusal(ratings[i]));
            }
            batch.add(new Interaction(user, items[i], ratings[i], timestamp));
            int start = buf.position();
            buf.putInt(items[i]).putFloat(ratings[i]).putLong(timestamp);
            crc.reset();
            crc.update(buf.array(), start, 16);
            buf.putInt((int) crc.getValue());
        }
        ((Buffer) buf).flip();
        try {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("Unable to append to interaction store " + file, e);
        }
        interactions.addAll(batch);
    }

    /** Number of stored ratings. */
    public synchronized int size() {
        requireOpen();
        return interactions.size();
    }

    public int user() {
        return user;
    }

    /** A copy of the ratings, for adaptation inside the SDK only: deliberately not public. */
    synchronized List<Interaction> snapshot() {
        requireOpen();
        return List.copyOf(interactions);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("interaction store " + file + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                channel.close(); // releases the file lock
            } catch (IOException e) {
                LOG.warn("Closing interaction store {} failed", file, e);
            } finally {
                OPEN.remove(key);
            }
        }
    }
}
