package io.metafed.coordinator.server;

import io.metafed.model.protocol.ClientIds;
import io.metafed.security.signature.Ed25519PublicKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrolled clients and their Ed25519 public keys, kept in an append-only {@code clients.log} (fsynced per new
 * line) so that enrolled devices need not enroll again after a restart: clients do not retry 403
 * {@code unknown_client}. Format v2: a first line {@value #HEADER}, then {@code <id>} (enrolled without a key,
 * i.e. with client authentication off) or {@code <id> ed25519:<base64 key>}; a later line for an id replaces
 * its earlier one (a keyless client registering a key). A v1 log (ids only, no header) is read as keyless
 * clients and appended to in v2 lines. A device enrolled with a token has {@code token=<token name>} after its key,
 * so per-token quotas survive restarts (docs/SECURITY.md, "Sybil enrollment"). A torn last line from a crash is cut
 * off on open. Thread-safe; lookups are lock-free.
 */
public final class ClientRegistry implements AutoCloseable {
    static final String HEADER = "#metafed-clients v2";
    private static final String KEY_PREFIX = "ed25519:";
    private static final Logger LOG = LoggerFactory.getLogger(ClientRegistry.class);
    /** Value for a keyless client: ConcurrentHashMap holds no nulls. */
    private static final Optional<Ed25519PublicKey> NO_KEY = Optional.empty();
    private static final String TOKEN_PREFIX = "token=";
    private final Map<String, Optional<Ed25519PublicKey>> clients = new ConcurrentHashMap<>();
    /** Client id → name of the token it enrolled with (absent: enrolled before tokens were recorded, or keyless). */
    private final Map<String, String> tokenOf = new ConcurrentHashMap<>();
    private final Map<String, Integer> enrolledPerToken = new ConcurrentHashMap<>();
    private final FileChannel log;

    /** What {@link #enroll} did. */
    public enum Enrollment { NEW, ALREADY_ENROLLED, KEY_ADDED }

    /** The id is enrolled under another public key; a device cannot take over another's id. */
    public static final class KeyConflictException extends Exception {
        private static final long serialVersionUID = 1L;

        KeyConflictException(String message) {
            super(message, null, false, false);
        }
    }

    private ClientRegistry(FileChannel log) {
        this.log = log;
    }

    public static ClientRegistry open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        ClientRegistry registry = new ClientRegistry(channel);
        try {
            byte[] bytes = Files.readAllBytes(file);
            int complete = 0;
            int lineNumber = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    registry.load(new String(bytes, complete, i - complete, StandardCharsets.UTF_8), ++lineNumber,
                            file);
                    complete = i + 1;
                }
            }
            if (complete < bytes.length) {
                LOG.warn("Cutting a torn last line ({} bytes) off {}", bytes.length - complete, file);
                channel.truncate(complete);
                channel.force(true);
            }
            channel.position(complete);
            if (complete == 0) {
                registry.append(HEADER);
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return registry;
    }

    private void load(String line, int lineNumber, Path file) throws IOException {
        if (line.startsWith("#")) {
            if (lineNumber == 1 && !line.equals(HEADER)) {
                // A newer format may mean something else by its lines; refuse rather than misread keys.
                throw new IOException(file + ": line 1: unsupported format '" + line + "', expected '" + HEADER
                        + "'");
            }
            return;
        }
        try {
            int space = line.indexOf(' ');
            if (space < 0) {
                clients.put(ClientIds.require(line), NO_KEY);
                return;
            }
            String[] fields = line.substring(space + 1).split(" ", -1);
            String key = fields[0];
            if (!key.startsWith(KEY_PREFIX)) {
                throw new IllegalArgumentException("key must start with '" + KEY_PREFIX + "', found '" + key + "'");
            }
            if (fields.length > 2 || fields.length == 2 && !fields[1].startsWith(TOKEN_PREFIX)) {
                throw new IllegalArgumentException("expected '<id> " + KEY_PREFIX + "<key> [" + TOKEN_PREFIX
                        + "<name>]'");
            }
            String id = ClientIds.require(line.substring(0, space));
            clients.put(id, Optional.of(Ed25519PublicKey.fromBase64(key.substring(KEY_PREFIX.length()))));
            if (fields.length == 2) {
                recordToken(id, fields[1].substring(TOKEN_PREFIX.length()));
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring malformed line {} of {}: {}", lineNumber, file, e.getMessage());
        }
    }

    /** Enrolls {@code clientId} without a key (client authentication off); returns false if already enrolled. */
    public boolean enroll(String clientId) throws IOException {
        ClientIds.require(clientId);
        if (clients.containsKey(clientId)) {
            return false;
        }
        synchronized (log) {
            if (clients.containsKey(clientId)) {
                return false;
            }
            append(clientId);
            clients.put(clientId, NO_KEY);
            return true;
        }
    }

    /**
     * Enrolls {@code clientId} with {@code key} durably. Idempotent for the same key; a client enrolled without a
     * key gets this one.
     *
     * @throws KeyConflictException when {@code clientId} is enrolled with a different key
     */
    public Enrollment enroll(String clientId, Ed25519PublicKey key) throws IOException, KeyConflictException {
        return enroll(clientId, key, null);
    }

    /**
     * As {@link #enroll(String, Ed25519PublicKey)}, recording that {@code tokenName} enrolled it (null: none).
     */
    public Enrollment enroll(String clientId, Ed25519PublicKey key, String tokenName) throws IOException,
            KeyConflictException {
        ClientIds.require(clientId);
        synchronized (log) {
            Optional<Ed25519PublicKey> existing = clients.get(clientId);
            if (existing != null && existing.isPresent()) {
                if (existing.get().equals(key)) {
                    return Enrollment.ALREADY_ENROLLED;
                }
                throw new KeyConflictException("client " + clientId + " is enrolled with key "
                        + existing.get().fingerprint() + ", not " + key.fingerprint());
            }
            append(clientId + " " + KEY_PREFIX + key.toBase64() + (tokenName == null ? "" : " " + TOKEN_PREFIX
                    + tokenName));
            clients.put(clientId, Optional.of(key));
            if (tokenName != null) {
                recordToken(clientId, tokenName);
            }
            return existing == null ? Enrollment.NEW : Enrollment.KEY_ADDED;
        }
    }

    private void append(String line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            log.write(bytes);
        }
        log.force(false);
    }

    private void recordToken(String clientId, String tokenName) {
        String before = tokenOf.put(clientId, tokenName);
        if (before != null) {
            enrolledPerToken.merge(before, -1, Integer::sum);
        }
        enrolledPerToken.merge(tokenName, 1, Integer::sum);
    }

    /** Devices enrolled with the token named {@code tokenName} (what its {@code max=N} quota counts). */
    public int enrolledWith(String tokenName) {
        return enrolledPerToken.getOrDefault(tokenName, 0);
    }

    /** The name of the token {@code clientId} enrolled with, if recorded. */
    public Optional<String> tokenOf(String clientId) {
        return Optional.ofNullable(tokenOf.get(clientId));
    }

    /** Runs {@code action} holding the enrollment lock, so a quota check and the enrollment it guards are atomic. */
    public Enrollment locked(LockedEnrollment action) throws IOException, KeyConflictException {
        synchronized (log) {
            return action.run();
        }
    }

    /** An enrollment done under the registry's lock. */
    @FunctionalInterface
    public interface LockedEnrollment {
        Enrollment run() throws IOException, KeyConflictException;
    }

    /** One enrolled device as {@link #read} reports it. */
    public record Device(String clientId, Optional<Ed25519PublicKey> key, Optional<String> token) {
    }

    /**
     * The devices of a {@code clients.log} without opening it for writing (the operator command reads it while the
     * server runs); a torn last line is ignored, not cut off.
     */
    public static java.util.List<Device> read(Path file) throws IOException {
        ClientRegistry parsed = new ClientRegistry(null);
        byte[] bytes = Files.readAllBytes(file);
        int complete = 0;
        int lineNumber = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                parsed.load(new String(bytes, complete, i - complete, StandardCharsets.UTF_8), ++lineNumber, file);
                complete = i + 1;
            }
        }
        return parsed.clients.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new Device(e.getKey(), e.getValue(), parsed.tokenOf(e.getKey()))).toList();
    }

    public boolean contains(String clientId) {
        return clients.containsKey(clientId);
    }

    /** The registered key of {@code clientId}; empty when it is unknown or enrolled without a key. */
    public Optional<Ed25519PublicKey> publicKey(String clientId) {
        return clients.getOrDefault(clientId, NO_KEY);
    }

    public int size() {
        return clients.size();
    }

    public Set<String> clients() {
        return Set.copyOf(clients.keySet());
    }

    @Override
    public void close() throws IOException {
        synchronized (log) {
            log.close();
        }
    }
}
