package io.metafed.security.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A certificate and its private key, as a TLS server presents them. Produced by
 * {@link SelfSignedCertificates#generate} for development, or read from PEM files by {@link Pem}.
 */
public record DevCertificate(X509Certificate certificate, PrivateKey privateKey) {
    public DevCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }
}
