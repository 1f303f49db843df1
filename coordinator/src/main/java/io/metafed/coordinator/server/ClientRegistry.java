package io.metafed.coordinator.server;

import io.metafed.model.protocol.ClientIds;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrolled client ids, kept in an append-only {@code clients.log} (one id per line, fsynced per new client) so
 * that enrolled devices need not enroll again after a restart: clients do not retry 403 {@code unknown_client}.
 * A torn last line from a crash is cut off on open. Thread-safe; lookups are lock-free.
 */
public final class ClientRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientRegistry.class);
    private final Set<String> clients = ConcurrentHashMap.newKeySet();
    private final FileChannel log;

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
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    registry.load(new String(bytes, complete, i - complete, StandardCharsets.UTF_8), file);
                    complete = i + 1;
                }
            }
            if (complete < bytes.length) {
                LOG.warn("Cutting a torn last line ({} bytes) off {}", bytes.length - complete, file);
                channel.truncate(complete);
                channel.force(true);
            }
            channel.position(complete);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return registry;
    }

    private void load(String line, Path file) {
        try {
            clients.add(ClientIds.require(line));
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring a malformed line in {}: {}", file, e.getMessage());
        }
    }

    /** Enrolls {@code clientId} durably; returns false if it was already enrolled. */
    public boolean enroll(String clientId) throws IOException {
        ClientIds.require(clientId);
        if (clients.contains(clientId)) {
            return false;
        }
        synchronized (log) {
            if (clients.contains(clientId)) {
                return false;
            }
            ByteBuffer line = ByteBuffer.wrap((clientId + "\n").getBytes(StandardCharsets.UTF_8));
            while (line.hasRemaining()) {
                log.write(line);
            }
            log.force(false);
            clients.add(clientId);
            return true;
        }
    }

    public boolean contains(String clientId) {
        return clients.contains(clientId);
    }

    public int size() {
        return clients.size();
    }

    public Set<String> clients() {
        return Set.copyOf(clients);
    }

    @Override
    public void close() throws IOException {
        synchronized (log) {
            log.close();
        }
    }
}
