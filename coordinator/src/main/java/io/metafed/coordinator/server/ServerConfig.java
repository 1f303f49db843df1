package io.metafed.coordinator.server;

import io.metafed.coordinator.server.handler.ConnectionLimits;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything a {@link CoordinatorServer} needs.
 *
 * @param port TCP port; 0 picks a free one (see {@link CoordinatorServer#port()})
 * @param dataDir holds {@code checkpoints/}, {@code state.json}, {@code clients.log} and a dev certificate
 * @param ioThreads Netty event-loop threads (HTTP parsing, TLS)
 * @param workerThreads threads that run coordinator calls (updates and round closes are O(model size))
 * @param auth client authentication (enrollment tokens, signed requests)
 * @param connections request deadline and connection caps (docs/SECURITY.md, "Slow clients")
 */
public record ServerConfig(String host, int port, Path dataDir, TlsConfig tls, FederationConfig federation,
        int ioThreads, int workerThreads, AuthConfig auth, ConnectionLimits connections) {

    /** With the production {@link ConnectionLimits#DEFAULTS}. */
    public ServerConfig(String host, int port, Path dataDir, TlsConfig tls, FederationConfig federation,
            int ioThreads, int workerThreads, AuthConfig auth) {
        this(host, port, dataDir, tls, federation, ioThreads, workerThreads, auth, ConnectionLimits.DEFAULTS);
    }

    public ServerConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank, found '" + host + "'");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535], found " + port);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(federation, "federation");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(connections, "connections");
        if (ioThreads < 1 || workerThreads < 1) {
            throw new IllegalArgumentException("ioThreads and workerThreads must be >= 1, found " + ioThreads
                    + " and " + workerThreads);
        }
    }

    /**
     * Loopback, ephemeral port, self-signed TLS, default federation, two I/O and two worker threads, and client
     * authentication off: a development setup; production servers set {@link #withAuth} (as CoordinatorMain does).
     */
    public static ServerConfig local(Path dataDir) {
        return new ServerConfig("127.0.0.1", 0, dataDir, TlsConfig.selfSigned(), FederationConfig.defaults(), 2, 2,
                AuthConfig.disabled(), ConnectionLimits.LOCAL);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, dataDir, tls, federation, ioThreads, workerThreads, auth, connections);
    }

    public ServerConfig withTls(TlsConfig newTls) {
        return new ServerConfig(host, port, dataDir, newTls, federation, ioThreads, workerThreads, auth, connections);
    }

    public ServerConfig withFederation(FederationConfig newFederation) {
        return new ServerConfig(host, port, dataDir, tls, newFederation, ioThreads, workerThreads, auth, connections);
    }

    public ServerConfig withConnections(ConnectionLimits newConnections) {
        return new ServerConfig(host, port, dataDir, tls, federation, ioThreads, workerThreads, auth, newConnections);
    }

    public ServerConfig withAuth(AuthConfig newAuth) {
        return new ServerConfig(host, port, dataDir, tls, federation, ioThreads, workerThreads, newAuth, connections);
    }
}
