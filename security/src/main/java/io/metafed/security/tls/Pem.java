package io.metafed.security.tls;

import io.metafed.files.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * PEM files for TLS: certificates as {@code CERTIFICATE}, private keys as unencrypted PKCS#8
 * {@code PRIVATE KEY} (what Netty and OpenSSL read). Files are written to a temporary sibling and renamed, and
 * key files are created owner-read/write only where the file system has POSIX permissions.
 */
public final class Pem {
    private Pem() {
    }

    public static void write(DevCertificate pair, Path certificateFile, Path keyFile) throws IOException {
        writeCertificate(pair.certificate(), certificateFile);
        writePrivateKey(pair.privateKey(), keyFile);
    }

    public static DevCertificate read(Path certificateFile, Path keyFile) throws IOException {
        return new DevCertificate(readCertificate(certificateFile), readPrivateKey(keyFile));
    }

    public static void writeCertificate(X509Certificate certificate, Path file) throws IOException {
        AtomicFiles.write(file, encode(certificate));
    }

    public static void writePrivateKey(PrivateKey key, Path file) throws IOException {
        AtomicFiles.writeSecret(file, encode(new JcaPKCS8Generator(key, null)));
    }

    public static X509Certificate readCertificate(Path file) throws IOException {
        Object object = readObject(file);
        if (!(object instanceof X509CertificateHolder holder)) {
            throw new IOException(file + ": expected a PEM CERTIFICATE, found " + describe(object));
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IOException(file + ": unreadable certificate: " + e.getMessage(), e);
        }
    }

    /** Reads a PKCS#8 {@code PRIVATE KEY} or a traditional {@code EC/RSA PRIVATE KEY} (unencrypted). */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        Object object = readObject(file);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (object instanceof PrivateKeyInfo info) {
            return converter.getPrivateKey(info);
        }
        if (object instanceof PEMKeyPair pair) {
            return converter.getKeyPair(pair).getPrivate();
        }
        throw new IOException(file + ": expected an unencrypted PEM PRIVATE KEY, found " + describe(object));
    }

    private static Object readObject(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            return parser.readObject();
        }
    }

    private static String describe(Object object) {
        return object == null ? "no PEM object" : object.getClass().getSimpleName();
    }

    private static byte[] encode(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

}
