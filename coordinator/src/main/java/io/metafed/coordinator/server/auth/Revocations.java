package io.metafed.coordinator.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revoked devices and enrollment tokens, from the append-only {@code <data-dir>/revocations.log} that the operator
 * command ({@code run-coordinator.sh devices revoke ID}, {@code tokens revoke NAME}) appends to while the server
 * runs. Lines: {@code device <client id>} or {@code token <token name>}; '#' starts a comment. The server re-reads
 * the file when its size or modification time changed, at most once per {@value #CHECK_MILLIS} ms, so a
 * revocation takes effect within about a second without a restart. Revocations are permanent: a revoked device
 * id cannot enroll again. Thread-safe.
 */
public final class Revocations {
    public static final String FILE = "revocations.log";
    static final long CHECK_MILLIS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(Revocations.class);
    private final Path file;
    private final Clock clock;
    private final Consumer<String> onDeviceRevoked;
    private volatile Set<String> devices = Set.of();
    private volatile Set<String> tokens = Set.of();
    private long lastCheck = Long.MIN_VALUE; // guarded by this
    private String lastStamp = ""; // guarded by this

    /** @param onDeviceRevoked told each device id revoked since the last read (e.g. to stop selecting it) */
    public Revocations(Path dataDir, Clock clock, Consumer<String> onDeviceRevoked) {
        this.file = dataDir.resolve(FILE);
        this.clock = clock;
        this.onDeviceRevoked = onDeviceRevoked;
        refresh(true);
    }

    public boolean deviceRevoked(String clientId) {
        refresh(false);
        return devices.contains(clientId);
    }

    public boolean tokenRevoked(String tokenName) {
        refresh(false);
        return tokens.contains(tokenName);
    }

    public Set<String> revokedDevices() {
        refresh(false);
        return devices;
    }

    private synchronized void refresh(boolean force) {
        long now = clock.millis();
        if (!force && now - lastCheck < CHECK_MILLIS && now >= lastCheck) {
            return;
        }
        lastCheck = now;
        String stamp;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            stamp = a.size() + "@" + a.lastModifiedTime().toMillis();
        } catch (NoSuchFileException e) {
            stamp = "none";
        } catch (IOException e) {
            LOG.warn("Could not read {}: {}; keeping the revocations read before", file, e.toString());
            return;
        }
        if (stamp.equals(lastStamp)) {
            return;
        }
        lastStamp = stamp;
        Set<String> newDevices = new HashSet<>();
        Set<String> newTokens = new HashSet<>();
        try {
            read(file, newDevices, newTokens);
        } catch (IOException e) {
            LOG.warn("Could not read {}: {}; keeping the revocations read before", file, e.toString());
            return;
        }
        Set<String> before = devices;
        devices = Set.copyOf(newDevices);
        tokens = Set.copyOf(newTokens);
        newDevices.removeAll(before);
        if (!newDevices.isEmpty() || !force) {
            LOG.info("Revocations from {}: {} devices, {} tokens ({} newly revoked devices)", file, devices.size(),
                    tokens.size(), newDevices.size());
        }
        newDevices.forEach(onDeviceRevoked);
    }

    /** Parses {@code file} (absent: nothing revoked); malformed lines are logged and skipped. */
    public static void read(Path file, Set<String> devices, Set<String> tokens) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return;
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length == 2 && parts[0].equals("device")) {
                devices.add(parts[1]);
            } else if (parts.length == 2 && parts[0].equals("token")) {
                tokens.add(parts[1]);
            } else if (i < lines.size() - 1) { // a last line may be torn by a crash of the appender
                LOG.warn("{}:{}: expected 'device <id>' or 'token <name>', found '{}'; skipped", file, i + 1, line);
            }
        }
    }

    /** Appends {@code kind id} (kind: device or token) durably; what the operator command does. */
    public static void append(Path dataDir, String kind, String id) throws IOException {
        if (!kind.equals("device") && !kind.equals("token")) {
            throw new IllegalArgumentException("kind must be device or token, found '" + kind + "'");
        }
        if (!id.matches("[\\x21-\\x7e]{1,128}")) {
            throw new IllegalArgumentException(kind + " id must be 1-128 printable characters without spaces,"
                    + " found '" + id + "'");
        }
        try (var channel = java.nio.channels.FileChannel.open(dataDir.resolve(FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            var bytes = java.nio.ByteBuffer.wrap((kind + " " + id + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
    }
}
