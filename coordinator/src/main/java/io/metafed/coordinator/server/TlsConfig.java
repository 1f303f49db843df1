package io.metafed.coordinator.server;

import java.nio.file.Path;

/**
 * Where the server's TLS identity comes from: PEM files given by the operator, a self-signed development
 * certificate kept in the data directory (both paths null), or no TLS at all, which must be asked for.
 */
public record TlsConfig(Path certificate, Path privateKey, boolean plaintext) {
    public TlsConfig {
        if ((certificate == null) != (privateKey == null)) {
            throw new IllegalArgumentException("certificate and privateKey must be given together, found certificate="
                    + certificate + ", privateKey=" + privateKey);
        }
        if (plaintext && certificate != null) {
            throw new IllegalArgumentException("plaintext excludes a certificate, found certificate=" + certificate);
        }
    }

    /** A self-signed certificate for localhost, generated once into {@code <dataDir>/tls/}. */
    public static TlsConfig selfSigned() {
        return new TlsConfig(null, null, false);
    }

    public static TlsConfig files(Path certificate, Path privateKey) {
        return new TlsConfig(certificate, privateKey, false);
    }

    /** No TLS: updates and models travel in the clear. Only for tests and trusted networks. */
    public static TlsConfig insecurePlaintext() {
        return new TlsConfig(null, null, true);
    }

    public boolean isSelfSigned() {
        return !plaintext && certificate == null;
    }
}
