package io.metafed.security.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed TLS server certificates for development and tests. EC P-256 with ECDSA/SHA-256, because every
 * JDK TLS stack (and Netty's JDK provider) accepts it, unlike Ed25519 certificates in TLS 1.2. Keys and
 * serial numbers come from {@link SecureRandom}; the JDK providers do the cryptography, Bouncy Castle only
 * encodes the certificate.
 */
public final class SelfSignedCertificates {
    /** A dev certificate lasts a year: long enough not to expire under a running demo, short enough to rotate. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);
    /** Subject alternative names of {@link #localhost()}; clients verify the host against these. */
    public static final List<String> LOCAL_NAMES = List.of("localhost", "127.0.0.1", "::1");

    private SelfSignedCertificates() {
    }

    /** A certificate for localhost, 127.0.0.1 and ::1, valid for {@link #DEFAULT_VALIDITY} from now. */
    public static DevCertificate localhost() {
        return generate("metafed-dev", LOCAL_NAMES, DEFAULT_VALIDITY, new SecureRandom(), Clock.systemUTC());
    }

    /**
     * A new key pair and a certificate for it, signed by itself.
     *
     * @param names DNS names and IP literals for the subject alternative name extension (at least one)
     */
    public static DevCertificate generate(String commonName, List<String> names, Duration validity,
            SecureRandom random, Clock clock) {
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(random, "random");
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("names must hold at least one DNS name or IP, found " + names);
        }
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive, found " + validity);
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = generator.generateKeyPair();
            // Backdated a minute so a client whose clock lags slightly still accepts a fresh certificate.
            Instant notBefore = clock.instant().minus(Duration.ofMinutes(1));
            X500Name subject = new X500Name("CN=" + commonName);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(128, random).setBit(127), Date.from(notBefore),
                    Date.from(notBefore.plus(validity)), subject, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(names));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").setSecureRandom(random)
                    .build(pair.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            certificate.verify(pair.getPublic());
            return new DevCertificate(certificate, pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("could not generate a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static GeneralNames alternativeNames(List<String> names) {
        List<GeneralName> list = new ArrayList<>();
        for (String name : names) {
            boolean ip = name.matches("[0-9.]+") || name.contains(":");
            list.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, name));
        }
        return new GeneralNames(list.toArray(new GeneralName[0]));
    }
}
