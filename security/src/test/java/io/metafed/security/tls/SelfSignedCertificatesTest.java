package io.metafed.security.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificatesTest {
    @TempDir
    Path dir;

    @Test
    void localhost_writtenAsPem_parsesWithJdkCertificateFactory() throws Exception {
        DevCertificate dev = SelfSignedCertificates.localhost();
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Pem.write(dev, cert, key);

        X509Certificate parsed;
        try (InputStream in = Files.newInputStream(cert)) {
            parsed = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertEquals(dev.certificate(), parsed);
        parsed.checkValidity();
        assertEquals("EC", parsed.getPublicKey().getAlgorithm());
        assertTrue(Files.readString(key, StandardCharsets.US_ASCII).startsWith("-----BEGIN PRIVATE KEY-----"));
    }

    @Test
    void localhost_subjectAlternativeNames_containLoopbackIpAndLocalhost() throws Exception {
        Collection<List<?>> sans = SelfSignedCertificates.localhost().certificate().getSubjectAlternativeNames();
        // Type 2 is dNSName, 7 is iPAddress (RFC 5280 GeneralName tags).
        assertTrue(sans.contains(List.of(7, "127.0.0.1")), () -> "SANs " + sans);
        assertTrue(sans.contains(List.of(2, "localhost")), () -> "SANs " + sans);
    }

    @Test
    void readBack_keyMatchesCertificate_signatureVerifies() throws Exception {
        Path cert = dir.resolve("c.pem");
        Path key = dir.resolve("k.pem");
        Pem.write(SelfSignedCertificates.localhost(), cert, key);
        DevCertificate read = Pem.read(cert, key);

        byte[] message = "metafed".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(read.privateKey());
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(read.certificate());
        verifier.update(message);
        assertTrue(verifier.verify(signature));
        read.certificate().verify(read.certificate().getPublicKey());
    }

    @Test
    void generate_validity_spansRequestedDuration() {
        DevCertificate dev = SelfSignedCertificates.generate("t", List.of("localhost"), Duration.ofDays(365),
                new SecureRandom(), Clock.systemUTC());
        long days = Duration.between(dev.certificate().getNotBefore().toInstant(),
                dev.certificate().getNotAfter().toInstant()).toDays();
        assertEquals(365, days);
    }

    @Test
    void generate_noNames_rejectedWithMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SelfSignedCertificates
                .generate("t", List.of(), Duration.ofDays(1), new SecureRandom(), Clock.systemUTC()));
        assertTrue(e.getMessage().contains("names"), e.getMessage());
    }

    @Test
    void readCertificate_keyFileGiven_failsNamingWhatWasFound() throws Exception {
        Path cert = dir.resolve("c.pem");
        Path key = dir.resolve("k.pem");
        Pem.write(SelfSignedCertificates.localhost(), cert, key);
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> Pem.readCertificate(key));
        assertTrue(e.getMessage().contains("expected a PEM CERTIFICATE"), e.getMessage());
    }
}
