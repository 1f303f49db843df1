package io.metafed.coordinator.server.handler;

import java.time.Duration;
import java.util.Objects;

/**
 * What one client may hold of the server (docs/SECURITY.md, "Slow clients").
 *
 * @param requestDeadline    a request (and, on a new connection, the TLS handshake before it) must arrive whole
 *                           within this time of its first byte, however the bytes trickle; the idle timer alone
 *                           resets on every byte
 * @param maxPerAddress      open connections from one IP address; more are closed on accept
 * @param maxConnections     open connections in total; more are closed on accept
 */
public record ConnectionLimits(Duration requestDeadline, int maxPerAddress, int maxConnections) {
    /** Production: 30 s to send a request (a 75 kB update at 20 kB/s), 64 connections per address, 10,000 total. */
    public static final ConnectionLimits DEFAULTS = new ConnectionLimits(Duration.ofSeconds(30), 64, 10_000);
    /**
     * Development and tests ({@code ServerConfig.local}): room for a load test's 1,000 concurrent clients and the
     * simulator's devices, all on loopback, and a deadline as long as the idle timeout, because there the server
     * itself is the slow party: 1,000 simultaneous TLS handshakes on a loaded 2-core machine have taken over 30 s.
     */
    public static final ConnectionLimits LOCAL = new ConnectionLimits(Duration.ofSeconds(120), 100_000, 100_000);

    public ConnectionLimits {
        Objects.requireNonNull(requestDeadline, "requestDeadline");
        if (requestDeadline.toMillis() < 1) {
            throw new IllegalArgumentException("requestDeadline must be at least 1 ms, found " + requestDeadline);
        }
        if (maxPerAddress < 1 || maxConnections < 1) {
            throw new IllegalArgumentException("maxPerAddress and maxConnections must be >= 1, found "
                    + maxPerAddress + " and " + maxConnections);
        }
    }
}
