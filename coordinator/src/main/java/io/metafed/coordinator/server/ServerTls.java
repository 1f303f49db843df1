package io.metafed.coordinator.server;

import io.metafed.security.tls.DevCertificate;
import io.metafed.security.tls.Pem;
import io.metafed.security.tls.SelfSignedCertificates;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the server's {@link SslContext} from a {@link TlsConfig}; the dev certificate is made once and kept. Public
 * so a benchmark can serve a reference server with exactly the coordinator's TLS settings.
 */
public final class ServerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    /** The context (empty for plaintext) and the certificate file clients should trust. */
    public record Material(Optional<SslContext> context, Optional<Path> certificateFile) {
    }

    private ServerTls() {
    }

    public static Material load(TlsConfig tls, Path dataDir) throws IOException {
        if (tls.plaintext()) {
            LOG.warn("TLS is off (insecure plaintext): updates and models travel unencrypted");
            return new Material(Optional.empty(), Optional.empty());
        }
        Path cert = tls.certificate();
        Path key = tls.privateKey();
        if (tls.isSelfSigned()) {
            cert = dataDir.resolve("tls").resolve("dev-cert.pem");
            key = dataDir.resolve("tls").resolve("dev-key.pem");
            // Reused across restarts so clients that trust it keep working.
            if (!Files.exists(cert) || !Files.exists(key)) {
                Pem.write(SelfSignedCertificates.localhost(), cert, key);
                LOG.info("Generated a self-signed development certificate {}", cert);
            }
        }
        DevCertificate identity = Pem.read(cert, key);
        try {
            SslContext context = SslContextBuilder.forServer(identity.privateKey(), identity.certificate())
                    .protocols("TLSv1.3", "TLSv1.2").build();
            return new Material(Optional.of(context), Optional.of(cert.toAbsolutePath()));
        } catch (SSLException e) {
            throw new IOException("could not build a TLS context from " + cert + " and " + key + ": "
                    + e.getMessage(), e);
        }
    }
}
