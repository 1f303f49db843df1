package io.metafed.sdk.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS contexts that trust exactly one certificate, e.g. a coordinator's self-signed development certificate,
 * instead of the platform's CAs. Hostname verification still applies: the certificate must name the host
 * (subjectAltName) the client connects to.
 */
public final class TlsTrust {
    private TlsTrust() {
    }

    /** Trusts the one PEM certificate in {@code file}. */
    public static SSLContext fromPemCertificate(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            return trusting(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read certificate file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Trusts the one certificate in {@code pem}, the text of a PEM file ("-----BEGIN CERTIFICATE-----..."). */
    public static SSLContext fromPemCertificate(String pem) {
        Objects.requireNonNull(pem, "pem");
        return trusting(pem.getBytes(StandardCharsets.US_ASCII), "PEM text");
    }

    private static SSLContext trusting(byte[] pem, String source) {
        Collection<? extends Certificate> certificates;
        try {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(source + " must hold one PEM X.509 certificate: " + e.getMessage(), e);
        }
        // A bundle would silently widen trust to every certificate in it; this class promises exactly one.
        if (certificates.size() != 1) {
            throw new IllegalArgumentException(source + " must hold exactly 1 certificate, found "
                    + certificates.size());
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("coordinator", certificates.iterator().next());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a TLS context trusting " + source + ": " + e.getMessage(), e);
        }
    }
}
