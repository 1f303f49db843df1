package io.metafed.sdk.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.protocol.Protocol;
import io.metafed.sdk.transport.StubCoordinator.Reply;
import io.metafed.sdk.transport.TransportFixtures.RecordingSleeper;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TlsTrust} against an HTTPS stub serving the committed self-signed test certificate. */
class TlsTrustTest {
    @TempDir
    Path dir;

    @Test
    void fromPemCertificate_selfSignedServer_httpsCallSucceeds() throws Exception {
        Path pem = Files.writeString(dir.resolve("coordinator.pem"), TestTls.certificatePem());
        try (StubCoordinator stub = StubCoordinator.https(TestTls.serverContext())) {
            stub.on(Protocol.TASK, Reply.of(204));
            var transport = TransportFixtures.builder(stub, new RecordingSleeper())
                    .sslContext(TlsTrust.fromPemCertificate(pem)).build();
            assertTrue(transport.task("device-1").isEmpty());
        }
    }

    @Test
    void defaultTrust_selfSignedServer_refusedWithoutRetry() throws Exception {
        try (StubCoordinator stub = StubCoordinator.https(TestTls.serverContext())) {
            RecordingSleeper sleeper = new RecordingSleeper();
            var transport = TransportFixtures.builder(stub, sleeper).build();
            TransportException e = assertThrows(TransportException.class, () -> transport.task("device-1"));
            assertInstanceOf(SSLHandshakeException.class, e.getCause());
            assertEquals(TransportException.Kind.REFUSED, e.kind());
            assertEquals("untrusted_certificate", e.errorCode().orElseThrow());
            assertEquals(0, sleeper.sleeps.size());
        }
    }

    @Test
    void fromPemCertificate_twoCertificates_rejected() throws Exception {
        String pem = TestTls.certificatePem();
        var e = assertThrows(IllegalArgumentException.class, () -> TlsTrust.fromPemCertificate(pem + pem));
        assertTrue(e.getMessage().contains("exactly 1 certificate, found 2"), e.getMessage());
    }

    @Test
    void fromPemCertificate_notPem_rejected() {
        assertThrows(IllegalArgumentException.class, () -> TlsTrust.fromPemCertificate("not a certificate"));
    }

    @Test
    void fromPemCertificate_text_returnsTlsContext() throws Exception {
        SSLContext context = TlsTrust.fromPemCertificate(TestTls.certificatePem());
        assertEquals("TLS", context.getProtocol());
    }
}
